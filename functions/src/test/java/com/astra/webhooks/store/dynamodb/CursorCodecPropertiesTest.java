package com.astra.webhooks.store.dynamodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.astra.webhooks.store.InvalidCursorException;
import com.astra.webhooks.testing.JsonArbitraries;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A cursor is whatever a client sends back, so the decoder sees garbage, other tenants' cursors
 * and forgeries. It either yields a start key DynamoDB will take for this very query, or says
 * the cursor is invalid (a 400); nothing else.
 */
class CursorCodecPropertiesTest {

    private static final String TENANT = "t-1";
    private static final String LIST = "dispatches:webhook";
    private static final Set<String> KEY = Set.of("pk", "sk", "gsi1pk", "gsi1sk");
    private static final String PARTITION = "T#t-1#WH#wh_1";

    private static String b64(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    @Provide
    Arbitrary<String> cursors() {
        Arbitrary<Object> keyValue = Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.of(PARTITION, "T#t-1#D", "T#t-2#WH#wh_1", "dispatch_01", "").map(s -> (Object) s)),
                Tuple.of(2, JsonArbitraries.values(1)),
                Tuple.of(1, Arbitraries.strings().alpha().ofMinLength(1000).ofMaxLength(1100).map(s -> (Object) s)));
        Arbitrary<Map<String, Object>> key = Arbitraries.maps(
                Arbitraries.frequencyOf(Tuple.of(5, Arbitraries.of("pk", "sk", "gsi1pk", "gsi1sk", "gsi2pk", "gsi3sk")),
                        Tuple.of(1, JsonArbitraries.strings())),
                keyValue).ofMaxSize(6);
        Arbitrary<String> forged = Combinators.combine(
                Arbitraries.of(TENANT, "t-2", "").map(s -> (Object) s).injectNull(0.1),
                Arbitraries.of(LIST, "webhooks", "dispatches:all").map(s -> (Object) s).injectNull(0.1),
                key.map(k -> (Object) k)).as((t, l, k) -> {
                    Map<String, Object> doc = new LinkedHashMap<>();
                    doc.put("t", t);
                    doc.put("l", l);
                    doc.put("k", k);
                    return b64(JsonArbitraries.write(doc));
                });
        return Arbitraries.frequencyOf(
                Tuple.of(5, forged),
                Tuple.of(2, JsonArbitraries.values(3).map(v -> b64(JsonArbitraries.write(v)))),
                Tuple.of(2, JsonArbitraries.strings()),
                Tuple.of(1, Arbitraries.strings().withChars("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=")
                        .ofMaxLength(3000)));
    }

    @Property(tries = 1000)
    void aCursorIsAStartKeyForThisQueryOrInvalid(@ForAll("cursors") String cursor) {
        Map<String, AttributeValue> key;
        try {
            key = CursorCodec.decode(cursor, TENANT, LIST, KEY, "gsi1pk", PARTITION);
        } catch (InvalidCursorException e) {
            return;
        }
        assertEquals(KEY, key.keySet(), "exactly the attributes the query's start key has");
        assertEquals(PARTITION, key.get("gsi1pk").s(), "never another partition");
        key.values().forEach(v -> assertTrue(!v.s().isEmpty() && v.s().getBytes(StandardCharsets.UTF_8).length <= 1024));
    }

    @Property(tries = 300)
    void whatWeIssueComesBackAndNoOtherTenantOrListTakesIt(@ForAll("keyValues") List<String> values) {
        Map<String, AttributeValue> key = new LinkedHashMap<>();
        key.put("pk", AttributeValue.fromS(values.get(0)));
        key.put("sk", AttributeValue.fromS(values.get(1)));
        key.put("gsi1pk", AttributeValue.fromS(PARTITION));
        key.put("gsi1sk", AttributeValue.fromS(values.get(2)));
        String cursor = CursorCodec.encode(TENANT, LIST, key);
        assertEquals(key, CursorCodec.decode(cursor, TENANT, LIST, KEY, "gsi1pk", PARTITION));
        assertThrows(InvalidCursorException.class, () -> CursorCodec.decode(cursor, "t-2", LIST, KEY, "gsi1pk", PARTITION));
        assertThrows(InvalidCursorException.class,
                () -> CursorCodec.decode(cursor, TENANT, "dispatches:all", Set.of("pk", "sk"), "pk", "T#t-1#D"));
    }

    @Provide
    Arbitrary<List<String>> keyValues() {
        return Arbitraries.strings().withCharRange('!', '~').ofMinLength(1).ofMaxLength(60).list().ofSize(3);
    }
}
