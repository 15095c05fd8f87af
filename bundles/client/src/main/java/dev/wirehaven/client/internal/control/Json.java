package dev.wirehaven.client.internal.control;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/** The one JSON setup of the client: the control records of the api bundle, times as ISO-8601. */
public final class Json {

    private Json() {}

    /**
     * A mapper for the control protocol. Reading tolerates fields this client does not know: the
     * server refuses unknown fields in what it receives (a client learns its mistake at once), but
     * a newer server may add fields to its answers, and an older client must keep working with it.
     * Absent (null) fields are left out of requests rather than sent as {@code null}.
     */
    public static ObjectMapper mapper() {
        return new ObjectMapper()
                .registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .setDefaultPropertyInclusion(JsonInclude.Include.NON_NULL);
    }
}
