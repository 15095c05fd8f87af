package dev.wirehaven.api.control;

import java.util.Base64;
import java.util.List;

/** Checks shared by the messages: each failure names the field, so that a 400 says what to fix. */
final class Messages {

    /** Longest device name or user name the protocol carries; longer is refused, not cut. */
    static final int MAX_NAME_LENGTH = 128;

    /** Most entries a list in one message may have; more is refused as oversized input. */
    static final int MAX_LIST_SIZE = 256;

    private Messages() {}

    static String key(String field, String value) {
        if (value == null) {
            throw new IllegalArgumentException(field + " is missing");
        }
        try {
            byte[] key = Base64.getDecoder().decode(value);
            if (key.length == 32) {
                // one spelling per key: the decoder also takes other bits in the last digit and a missing
                // '=', so that two texts of one key would otherwise compare unequal everywhere downstream
                return Base64.getEncoder().encodeToString(key);
            }
        } catch (IllegalArgumentException e) {
            // falls through to the same message: the text is not base64 at all
        }
        throw new IllegalArgumentException(field + " is not a 32-byte key in standard base64");
    }

    static String optionalKey(String field, String value) {
        return value == null ? null : key(field, value);
    }

    static String name(String field, String value, boolean required) {
        if (value == null || value.isEmpty()) {
            if (required) {
                throw new IllegalArgumentException(field + " is missing");
            }
            return "";
        }
        if (value.length() > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException(field + " is longer than " + MAX_NAME_LENGTH + " characters");
        }
        if (!value.codePoints().allMatch(c -> c >= 0x20 && c != 0x7f)) {
            throw new IllegalArgumentException(field + " contains control characters");
        }
        return value;
    }

    static List<String> list(String field, List<String> values) {
        if (values == null) {
            return List.of();
        }
        if (values.size() > MAX_LIST_SIZE) {
            throw new IllegalArgumentException(field + " has more than " + MAX_LIST_SIZE + " entries");
        }
        for (String v : values) {
            if (v == null || v.isBlank()) {
                throw new IllegalArgumentException(field + " contains an empty entry");
            }
        }
        return List.copyOf(values);
    }

    /** A list of values that validated themselves: only the size and null entries are checked. */
    static <T> List<T> values(String field, List<T> values) {
        if (values == null) {
            return List.of();
        }
        if (values.size() > MAX_LIST_SIZE) {
            throw new IllegalArgumentException(field + " has more than " + MAX_LIST_SIZE + " entries");
        }
        for (T v : values) {
            if (v == null) {
                throw new IllegalArgumentException(field + " contains an empty entry");
            }
        }
        return List.copyOf(values);
    }

    static long notNegative(String field, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(field + " is negative");
        }
        return value;
    }
}
