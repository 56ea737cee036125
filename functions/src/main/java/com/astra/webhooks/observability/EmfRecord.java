package com.astra.webhooks.observability;

import com.astra.webhooks.core.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One CloudWatch Embedded Metric Format record: a JSON log line from which CloudWatch Logs
 * extracts metrics. The shape is AWS's published specification ("Specification: Embedded metric
 * format"):
 *
 * <pre>
 * {"_aws": {"Timestamp": 1700000000000,
 *           "CloudWatchMetrics": [{"Namespace": "N", "Dimensions": [["Service"]],
 *                                  "Metrics": [{"Name": "Delivered", "Unit": "Count"}, ...]}]},
 *  "Service": "dispatcher", "Delivered": 2, "DeliveryLatency": [120, 80], "requestId": "..."}
 * </pre>
 *
 * Written with jackson-jr, which the functions already carry, rather than aws-embedded-metrics:
 * that library brings jackson-databind, commons-lang3 and javatuples, about 1,750 classes and
 * half a second to a cold start for a format that is a few nested maps.
 */
final class EmfRecord {

    /** The specification's limit: at most 100 values per metric in one record. */
    static final int MAX_VALUES = 100;

    private final Map<String, Object> root = new LinkedHashMap<>();
    private final List<Map<String, String>> definitions = new ArrayList<>();

    EmfRecord(String namespace, String dimension, String dimensionValue, Instant timestamp) {
        Map<String, Object> directive = new LinkedHashMap<>();
        directive.put("Namespace", namespace);
        directive.put("Dimensions", List.of(List.of(dimension)));
        directive.put("Metrics", definitions);
        Map<String, Object> aws = new LinkedHashMap<>();
        aws.put("Timestamp", timestamp.toEpochMilli());
        aws.put("CloudWatchMetrics", List.of(directive));
        root.put("_aws", aws);
        root.put(dimension, dimensionValue);
    }

    /** A metric with one value or, up to {@link #MAX_VALUES}, many (a list). */
    EmfRecord metric(String name, String unit, Object value) {
        Map<String, String> definition = new LinkedHashMap<>();
        definition.put("Name", name);
        definition.put("Unit", unit);
        definitions.add(definition);
        root.put(name, value);
        return this;
    }

    /** A member CloudWatch keeps in the log event but does not turn into a metric. */
    EmfRecord property(String name, String value) {
        root.put(name, value);
        return this;
    }

    String toJson() {
        return Json.write(root);
    }
}
