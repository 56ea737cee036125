package com.astra.webhooks.core;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * JSON in and out through jackson-jr: a few hundred KB and no reflection-heavy start-up,
 * unlike databind. Documents are read as plain maps and lists so validation sees exactly
 * what the client sent.
 */
public final class Json {
    private Json() {}

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    private static final JSON JSON_STD = JSON.builder(FACTORY)
            .disable(JSON.Feature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(JSON.Feature.WRITE_NULL_PROPERTIES)
            .build();

    /**
     * Any JSON value: Map, List, String, Number, Boolean or null. The text must be exactly one
     * value: anything after it but whitespace ({@code {...} x}, {@code {...}{...}}) is an error,
     * which jackson-jr alone would silently ignore.
     */
    public static Object parse(String text) throws IOException {
        try (JsonParser parser = FACTORY.createParser(text)) {
            Object value = JSON_STD.anyFrom(parser);
            if (parser.nextToken() != null) {
                throw new IOException("unexpected content after the JSON value");
            }
            return value;
        }
    }

    /** A JSON object, or an IOException if the text is not one. */
    public static Map<String, Object> parseObject(String text) throws IOException {
        Object value = parse(text);
        if (!(value instanceof Map)) {
            throw new IOException("expected a JSON object");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) value;
        return map;
    }

    public static String write(Object value) {
        try {
            return JSON_STD.asString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A JSON object's members with non-null values, as strings (event sources' string maps:
     * headers, attributes); anything but an object gives an empty map.
     */
    public static Map<String, String> stringMembers(Object value) {
        Map<String, String> out = new java.util.HashMap<>();
        if (value instanceof Map<?, ?> m) {
            m.forEach((k, v) -> {
                if (v != null) {
                    out.put(String.valueOf(k), String.valueOf(v));
                }
            });
        }
        return out;
    }
}
