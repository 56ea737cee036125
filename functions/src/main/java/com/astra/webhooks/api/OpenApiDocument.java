package com.astra.webhooks.api;

import com.astra.webhooks.core.Json;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * {@code openapi.yaml} (the repo's source of the API description) as the JSON that
 * {@code GET /openapi.json} serves. Converted once per container, in the docs function only.
 */
final class OpenApiDocument {
    private OpenApiDocument() {}

    static String toJson(String yaml) {
        Object doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
        requireJsonTypes(doc, "$");
        return Json.write(doc);
    }

    /** YAML can say more than JSON (dates, binary, non-string keys): refuse it rather than serve it garbled. */
    private static void requireJsonTypes(Object node, String path) {
        if (node instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!(e.getKey() instanceof String key)) {
                    throw new IllegalStateException("openapi.yaml: key " + e.getKey() + " at " + path + " is not a string");
                }
                requireJsonTypes(e.getValue(), path + "." + key);
            }
        } else if (node instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                requireJsonTypes(list.get(i), path + "[" + i + "]");
            }
        } else if (node != null && !(node instanceof String || node instanceof Number || node instanceof Boolean)) {
            throw new IllegalStateException("openapi.yaml: " + path + " is a " + node.getClass().getSimpleName()
                    + "; quote it so that it stays a string");
        }
    }
}
