package com.astra.webhooks.store.dynamodb;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** SET and REMOVE clauses over attribute-name placeholders (url and events are reserved words). */
final class FieldUpdate {
    final Map<String, String> names = new HashMap<>();
    final Map<String, AttributeValue> values = new HashMap<>();
    private final List<String> set = new ArrayList<>();
    private final List<String> remove = new ArrayList<>();

    void set(String field, AttributeValue value) {
        names.put("#" + field, field);
        values.put(":" + field, value);
        set.add("#" + field + " = :" + field);
    }

    /** Sets the field only where the item has none yet. */
    void setIfAbsent(String field, AttributeValue value) {
        names.put("#" + field, field);
        values.put(":" + field, value);
        set.add("#" + field + " = if_not_exists(#" + field + ", :" + field + ")");
    }

    void remove(String field) {
        names.put("#" + field, field);
        remove.add("#" + field);
    }

    String expression() {
        return "SET " + String.join(", ", set) + (remove.isEmpty() ? "" : " REMOVE " + String.join(", ", remove));
    }
}
