package com.astra.webhooks.config;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Settings read once per container. Lambda passes them as environment variables; the local
 * runner, which cannot change its own environment, sets JVM system properties of the same
 * names, and those win.
 */
public final class Config {

    private final Map<String, String> values;

    public Config(Map<String, String> values) {
        this.values = Map.copyOf(values);
    }

    public static Config fromEnvironment() {
        Map<String, String> merged = new HashMap<>(System.getenv());
        for (String name : System.getProperties().stringPropertyNames()) {
            if (Keys.ALL.contains(name)) {
                merged.put(name, System.getProperty(name));
            }
        }
        return new Config(merged);
    }

    public Optional<String> get(String key) {
        String v = values.get(key);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
    }

    public String get(String key, String fallback) {
        return get(key).orElse(fallback);
    }

    public String require(String key) {
        return get(key).orElseThrow(() -> new IllegalStateException("missing setting " + key));
    }

    public int getInt(String key, int fallback) {
        return get(key).map(Integer::parseInt).orElse(fallback);
    }

    public boolean getBoolean(String key, boolean fallback) {
        return get(key).map(Boolean::parseBoolean).orElse(fallback);
    }

    public Map<String, String> asMap() {
        return values;
    }
}
