package com.astra.webhooks.local;

import com.astra.webhooks.config.SettingSpecs;
import com.astra.webhooks.config.Settings;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * How the runner layers settings: each setting's local default, then the runner's environment,
 * then the options (flags). The functions get only the result for names the service reads or the
 * template declares, as a deployed function gets only its template's variables.
 */
final class RunnerSettings {

    private RunnerSettings() {}

    /**
     * The user's settings: the local defaults, overridden by the runner's environment for every
     * name the service reads or the template declares, overridden by the options' settings.
     */
    static Map<String, String> user(RunnerOptions options, Map<String, String> env, Set<String> declared) {
        Map<String, String> values = new LinkedHashMap<>(SettingSpecs.localDefaults());
        Set<String> names = new LinkedHashSet<>(Settings.NAMES);
        names.addAll(declared);
        names.forEach(name -> {
            if (env.get(name) != null) {
                values.put(name, env.get(name));
            }
        });
        values.putAll(options.settings);
        return values;
    }

    /** The runner's own view of its settings: its whole environment, overridden by the user's settings. */
    static Map<String, String> effective(Map<String, String> env, Map<String, String> overrides) {
        Map<String, String> merged = new HashMap<>(env);
        merged.putAll(overrides);
        return merged;
    }

    /** An endpoint the user points at their own emulator (flag or environment), instead of the runner's. */
    static Optional<String> external(RunnerOptions options, Map<String, String> env, String key) {
        return Optional.ofNullable(options.settings.getOrDefault(key, env.get(key))).filter(v -> !v.isBlank());
    }

    /** The AWS credentials in the runner's environment, passed on to the functions as Lambda passes its own. */
    static Map<String, String> credentials(Map<String, String> env) {
        Map<String, String> credentials = new LinkedHashMap<>();
        FunctionEnvironment.CREDENTIALS.forEach(name -> Optional.ofNullable(env.get(name)).filter(v -> !v.isBlank())
                .ifPresent(v -> credentials.put(name, v)));
        return credentials;
    }
}
