package com.astra.webhooks.store.dynamodb;

import com.astra.webhooks.core.Json;
import com.astra.webhooks.store.InvalidCursorException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Opaque list cursors: the key of the last item returned, with the tenant and the list it
 * belongs to, base64url-encoded. A cursor is accepted only by the same tenant and list, and
 * only if its partition key is the one the query reads, so a forged or foreign cursor can
 * never move a query into someone else's items; it is a 400 instead.
 */
final class CursorCodec {
    private CursorCodec() {}

    private static final int MAX_CURSOR_LENGTH = 2048;
    /** DynamoDB's limit for a sort key value; no key we issue comes near it. */
    private static final int MAX_KEY_BYTES = 1024;

    static String encode(String tenant, String list, Map<String, AttributeValue> key) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("t", tenant);
        doc.put("l", list);
        Map<String, String> k = new LinkedHashMap<>();
        key.forEach((name, value) -> k.put(name, value.s()));
        doc.put("k", k);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Json.write(doc).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The exclusive start key the cursor stands for, or null for no cursor.
     *
     * @param keyAttributes exactly the attributes of the query's start key (table key, plus the index key for an
     *     index query): DynamoDB refuses any other set with an error that would otherwise become a 500
     * @param partitionAttribute the key attribute that must equal {@code partitionValue}
     */
    static Map<String, AttributeValue> decode(String cursor, String tenant, String list, Set<String> keyAttributes,
            String partitionAttribute, String partitionValue) {
        if (cursor == null) {
            return null;
        }
        Map<String, AttributeValue> key = parse(cursor, tenant, list, keyAttributes);
        AttributeValue partition = key.get(partitionAttribute);
        if (partition == null || !partitionValue.equals(partition.s()) || !key.keySet().equals(keyAttributes)) {
            throw new InvalidCursorException("cursor does not belong to this list");
        }
        return key;
    }

    /** A cursor that stands for "older than this dispatch id", for lists merged from several partitions. */
    static String encodeBoundary(String tenant, String list, String dispatchId) {
        return encode(tenant, list, Map.of("before", AttributeValue.fromS(dispatchId)));
    }

    /** The dispatch id the cursor stands for, or null for no cursor. */
    static String decodeBoundary(String cursor, String tenant, String list) {
        if (cursor == null) {
            return null;
        }
        String id = parse(cursor, tenant, list, Set.of("before")).get("before").s();
        if (!id.matches("dispatch_[0-9a-z]{26}")) {
            throw new InvalidCursorException("cursor is malformed; pass back nextCursor exactly as received");
        }
        return id;
    }

    private static Map<String, AttributeValue> parse(String cursor, String tenant, String list, Set<String> keyAttributes) {
        Map<String, Object> doc;
        try {
            if (cursor.length() > MAX_CURSOR_LENGTH) {
                throw new IllegalArgumentException();
            }
            doc = Json.parseObject(new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new InvalidCursorException("cursor is malformed; pass back nextCursor exactly as received");
        }
        if (!tenant.equals(doc.get("t")) || !list.equals(doc.get("l")) || !(doc.get("k") instanceof Map<?, ?> k)) {
            throw new InvalidCursorException("cursor does not belong to this list");
        }
        Map<String, AttributeValue> key = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : k.entrySet()) {
            if (!(e.getKey() instanceof String name) || !(e.getValue() instanceof String value) || value.isEmpty()
                    || value.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES || !keyAttributes.contains(name)) {
                throw new InvalidCursorException("cursor is malformed; pass back nextCursor exactly as received");
            }
            key.put(name, AttributeValue.fromS(value));
        }
        if (!key.keySet().equals(keyAttributes)) {
            throw new InvalidCursorException("cursor does not belong to this list");
        }
        return key;
    }
}
