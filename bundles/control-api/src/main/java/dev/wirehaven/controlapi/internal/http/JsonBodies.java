package dev.wirehaven.controlapi.internal.http;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The JSON bodies of the control API: strict binding of requests to the message records, refusing
 * with a message that names the field, and encoding of answers.
 *
 * <p>Strict means: unknown fields, duplicate fields, a second value after the first, {@code null} or
 * a missing value for a number or boolean, and text where a number belongs (or the reverse) are all
 * refused, because a lenient server teaches clients to send things it does not understand. No default
 * typing: a body never names a Java class. Times are ISO-8601 text.
 */
final class JsonBodies {

    /** Largest body accepted; the messages are far smaller, so more is a mistake or an attack. */
    static final int MAX_BODY_BYTES = 64 * 1024;

    static final String MEDIA_TYPE = "application/json";
    /**
     * How much of an oversized body is read and dropped before the 413 goes out. A client sends its
     * whole body before it reads the answer; refusing in the middle resets the connection under it and
     * it never sees why. Beyond this the server stops reading and closes the connection.
     */
    static final int MAX_DRAINED_BYTES = 1024 * 1024;

    private final ObjectMapper mapper;

    JsonBodies() {
        JsonMapper mapper = JsonMapper.builder()
                .addModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
        // a number or boolean where text belongs is refused too, not turned into text
        mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        this.mapper = mapper;
    }

    /**
     * Checks what the headers say about the body before any of it is read.
     *
     * @throws ApiRefusal 415 for another media type or an encoded body, 413 for a declared length that
     *         is beyond even what is drained before refusing ({@value #MAX_DRAINED_BYTES} bytes)
     */
    static void checkHeaders(HttpServletRequest request) throws ApiRefusal {
        checkMediaType(request.getContentType());
        String encoding = request.getHeader("Content-Encoding");
        if (encoding != null && !encoding.isBlank() && !"identity".equalsIgnoreCase(encoding.trim())) {
            throw ApiRefusal.unsupportedMediaType(
                    "Content-Encoding " + encoding.trim() + " is not accepted;" + " send the JSON body as it is");
        }
        if (request.getContentLengthLong() > MAX_DRAINED_BYTES) {
            throw tooLarge();
        }
    }

    /**
     * Binds a body (read by {@link BodyReader}, at most {@value #MAX_BODY_BYTES} bytes) to {@code type}.
     *
     * @throws ApiRefusal 400 for anything that does not bind, naming the field
     */
    <T> T bind(byte[] body, Class<T> type) throws ApiRefusal {
        T value;
        try {
            value = mapper.readValue(body, type);
        } catch (JsonProcessingException e) {
            throw ApiRefusal.invalid(describe(e, type));
        } catch (IOException e) {
            throw ApiRefusal.invalid("The body is not valid JSON");
        }
        if (value == null) {
            throw ApiRefusal.invalid("The body is null; send a JSON object " + type.getSimpleName());
        }
        return value;
    }

    /** The JSON encoding of an answer. */
    byte[] encode(Object value) {
        try {
            return mapper.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            // the answers are our own records: failing to encode one is a bug, not bad input
            throw new IllegalStateException("cannot encode " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    /** Accepts {@code application/json} with no charset or UTF-8 (the only encoding JSON has, RFC 8259). */
    static void checkMediaType(String contentType) throws ApiRefusal {
        String fix = "send Content-Type: " + MEDIA_TYPE;
        if (contentType == null || contentType.isBlank()) {
            throw ApiRefusal.unsupportedMediaType("The request has no Content-Type; " + fix);
        }
        // split with a negative limit: a value of only ';' (";;") would otherwise give no parts at all
        String[] parts = contentType.split(";", -1);
        if (!MEDIA_TYPE.equals(parts[0].trim().toLowerCase(Locale.ROOT))) {
            throw ApiRefusal.unsupportedMediaType("The body must be JSON; " + fix);
        }
        for (int i = 1; i < parts.length; i++) {
            String parameter = parts[i].trim();
            int eq = parameter.indexOf('=');
            if (eq > 0 && "charset".equalsIgnoreCase(parameter.substring(0, eq).trim())) {
                String charset = parameter.substring(eq + 1).trim().replace("\"", "");
                if (!"utf-8".equalsIgnoreCase(charset)) {
                    throw ApiRefusal.unsupportedMediaType("JSON bodies are UTF-8; " + fix + "; charset=utf-8");
                }
            }
        }
    }

    static ApiRefusal tooLarge() {
        return ApiRefusal.tooLarge("The body is larger than " + MAX_BODY_BYTES / 1024 + " KiB; the messages of"
                + " the control API are far smaller");
    }

    /**
     * What is wrong, naming the field: from the path that Jackson followed, and for a value that the
     * record refused, from the record's own message (which names the field too).
     */
    static String describe(JsonProcessingException e, Class<?> type) {
        String name = type.getSimpleName();
        if (e instanceof StreamConstraintsException) {
            return "The body exceeds a JSON limit (nesting or length); " + name + " is a flat object";
        }
        if (e instanceof JsonMappingException && e.getCause() instanceof StreamReadException broken) {
            // a syntax error met while binding a field: still a syntax error
            return "The body is not valid JSON" + at(broken.getLocation());
        }
        if (e instanceof JsonParseException) {
            String original = e.getOriginalMessage();
            if (original != null && original.startsWith("Duplicate field")) {
                return "The body gives a field twice: "
                        + original.substring("Duplicate field".length()).trim();
            }
            return "The body is not valid JSON" + at(e.getLocation());
        }
        if (e instanceof UnrecognizedPropertyException unknown) {
            return "Unknown field '" + path(unknown) + "' in " + name + "; its fields are "
                    + fieldNames(unknown.getKnownPropertyIds());
        }
        if (e instanceof ValueInstantiationException instantiation) {
            Throwable cause = instantiation.getCause();
            if (cause instanceof IllegalArgumentException || cause instanceof NullPointerException) {
                return "Invalid " + name + ": " + cause.getMessage();
            }
            return "Invalid " + name;
        }
        if (e instanceof JsonMappingException mapping) {
            String field = path(mapping);
            if (field.isEmpty()) {
                String original = e.getOriginalMessage();
                if (original != null && original.startsWith("No content")) {
                    return "The body is empty; send a JSON object " + name;
                }
                if (original != null && original.startsWith("Trailing token")) {
                    return "The body holds more than one JSON value; send one object " + name;
                }
                return "The body must be a JSON object " + name;
            }
            if (mapping.getCause() instanceof InputCoercionException) {
                return "Field '" + field + "' of " + name + " is out of range";
            }
            Class<?> target = mapping instanceof MismatchedInputException mismatch ? mismatch.getTargetType() : null;
            return "Field '" + field + "' of " + name + " is missing or not " + expected(target);
        }
        return "The body is not a valid " + name;
    }

    private static String at(JsonLocation location) {
        if (location == null || location.getLineNr() < 1) {
            return "";
        }
        return " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }

    /** The field path of a mapping failure, such as {@code allowedIps[2]}. */
    private static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (path.length() > 0) {
                    path.append('.');
                }
                path.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static String fieldNames(Collection<Object> known) {
        if (known == null || known.isEmpty()) {
            return "(none)";
        }
        return known.stream().map(Object::toString).sorted().collect(Collectors.joining(", "));
    }

    private static String expected(Class<?> target) {
        if (target == null) {
            return "a valid value";
        }
        if (target == long.class || target == int.class || target == Long.class || target == Integer.class) {
            return "a whole number";
        }
        if (target == boolean.class || target == Boolean.class) {
            return "true or false";
        }
        if (target == String.class) {
            return "a string";
        }
        if (List.class.isAssignableFrom(target)) {
            return "an array of strings";
        }
        return "a valid " + target.getSimpleName();
    }
}
