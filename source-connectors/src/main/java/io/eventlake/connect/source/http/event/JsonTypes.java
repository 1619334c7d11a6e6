package io.eventlake.connect.source.http.event;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonToken;

/** Names of JSON value kinds for error messages, and clipping of quoted input so an answer stays short. */
final class JsonTypes {

    private static final int CLIP = 40;

    private JsonTypes() {
    }

    static String describe(JsonToken token) {
        if (token == null) {
            return "the end of the input";
        }
        return switch (token) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT -> "an integer";
            case VALUE_NUMBER_FLOAT -> "a decimal number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> token.asString() == null ? token.name() : "'" + token.asString() + "'";
        };
    }

    static String describe(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof String) {
            return "a string";
        }
        if (value instanceof Long || value instanceof Integer) {
            return "an integer";
        }
        if (value instanceof Number) {
            return "a decimal number";
        }
        if (value instanceof Boolean) {
            return "a boolean";
        }
        if (value instanceof Map) {
            return "an object";
        }
        if (value instanceof List) {
            return "an array";
        }
        return value.getClass().getSimpleName();
    }

    /** The first characters of a value quoted back to the client. */
    static String clip(String text) {
        return text.length() <= CLIP ? text : text.substring(0, CLIP) + "...";
    }
}
