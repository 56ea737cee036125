package com.astra.webhooks.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.astra.webhooks.core.urlguard.TargetGuard;
import com.astra.webhooks.model.EventTypeCatalog;
import com.astra.webhooks.testing.JsonArbitraries;
import com.astra.webhooks.webhook.ValidationException;
import com.astra.webhooks.model.WebhookChanges;
import com.astra.webhooks.webhook.WebhookValidator;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Random and hostile input to the request parsing and validation code: the only exceptions that
 * may come out are the ones the API turns into a 4xx, and whatever is accepted is sound.
 */
class RequestParsingPropertiesTest {

    static final List<String> WEBHOOK_FIELDS = List.of("url", "events", "description", "enabled", "filter", "retrySchedule",
            "signing");

    /** No DNS in tests: every name is unknown, as the guard allows at create time. */
    private static final TargetGuard AWS_GUARD = new TargetGuard(false, true, host -> {
        throw new UnknownHostException(host);
    });
    private static final TargetGuard LOCAL_GUARD = new TargetGuard(true, false, host -> {
        throw new UnknownHostException(host);
    });
    private static final EventTypeCatalog CATALOG = EventTypeCatalog.parse(null);
    private static final WebhookValidator AWS = new WebhookValidator(CATALOG, AWS_GUARD);
    private static final WebhookValidator LOCAL = new WebhookValidator(CATALOG, LOCAL_GUARD);

    @Provide
    Arbitrary<Map<String, Object>> webhookBodies() {
        return Arbitraries.oneOf(JsonArbitraries.bodiesWith(WEBHOOK_FIELDS), JsonArbitraries.mostlyValid(Map.of(
                "url", JsonArbitraries.nearValid().map(u -> (Object) u),
                "events", Arbitraries.oneOf(Arbitraries.just((Object) "*"), Arbitraries.of(CATALOG.names()).set()
                        .ofMinSize(1).ofMaxSize(4).map(set -> (Object) List.copyOf(set))),
                "description", JsonArbitraries.strings().map(d -> (Object) d).injectNull(0.2),
                "enabled", Arbitraries.of(true, false).map(b -> (Object) b))));
    }

    @Provide
    Arbitrary<String> bodyTexts() {
        return JsonArbitraries.bodyTexts(WEBHOOK_FIELDS);
    }

    @Provide
    Arbitrary<String> contentTypes() {
        return Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.of("application/json", "application/json; charset=utf-8", "APPLICATION/JSON",
                        "application/merge-patch+json", " application/json ;x=y")),
                Tuple.of(2, Arbitraries.of("text/plain", "", ";", "application/jsonx", "json", "*/*",
                        "multipart/form-data; boundary=x", "application/x-www-form-urlencoded")),
                Tuple.of(1, JsonArbitraries.strings()),
                Tuple.of(1, Arbitraries.just(null)));
    }

    @Provide
    Arbitrary<String> limits() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.strings().withChars("0123456789").ofMinLength(1).ofMaxLength(25)),
                Tuple.of(3, Arbitraries.strings().withChars("0123456789+-. eEx\u0000\u0660\uff10").ofMaxLength(25)),
                Tuple.of(2, Arbitraries.longs().map(String::valueOf)),
                Tuple.of(1, JsonArbitraries.strings()));
    }

    // --- WebhookValidator ---------------------------------------------------------------------

    @Property(tries = 1000)
    void validatorAcceptsSoundBodiesAndRefusesTheRestWithValidationErrors(
            @ForAll("webhookBodies") Map<String, Object> body, @ForAll boolean creating, @ForAll boolean aws) {
        WebhookValidator validator = aws ? AWS : LOCAL;
        WebhookChanges changes;
        try {
            changes = creating ? validator.forCreate(body) : validator.forUpdate(body);
        } catch (ValidationException e) {
            assertFalse(e.details().isEmpty(), "a refusal names what is wrong");
            assertFalse(e.getMessage().isBlank());
            return;
        }
        assertTrue(WEBHOOK_FIELDS.containsAll(body.keySet()), "unknown fields are refused: " + body.keySet());
        if (changes.url() != null) {
            assertTrue(changes.url().length() <= 2048 && wellFormed(changes.url()), changes.url());
            assertEquals(java.util.Optional.empty(), (aws ? AWS_GUARD : LOCAL_GUARD).validate(changes.url()));
        } else {
            assertFalse(creating, "create requires a url");
        }
        if (changes.events() != null) {
            assertTrue(!changes.events().isEmpty() && changes.events().size() <= 50, changes.events().toString());
            assertEquals(changes.events().size(), Set.copyOf(changes.events()).size());
            changes.events().forEach(e -> assertTrue(e.equals("*") || CATALOG.contains(e), e));
        } else {
            assertFalse(creating, "create requires events");
        }
        if (changes.description() != null) {
            assertTrue(changes.description().length() <= 1024 && wellFormed(changes.description()));
        }
    }

    /** What DynamoDB and every JSON writer can store: no lone surrogates. */
    static boolean wellFormed(String s) {
        return StandardCharsets.UTF_8.newEncoder().canEncode(s);
    }

    // --- RequestBodies, ApiGatewayAdapter, Paging ---------------------------------------------

    @Property(tries = 1000)
    void aBodyIsAJsonObjectOrA400413Or415(@ForAll("bodyTexts") String body, @ForAll("contentTypes") String contentType) {
        Map<String, String> headers = new HashMap<>();
        if (contentType != null) {
            headers.put("content-type", contentType);
        }
        ApiRequest request = new ApiRequest("POST", "/webhooks", "POST /webhooks", Map.of(), Map.of(), headers, body);
        try {
            assertNotNull(RequestBodies.jsonObject(request));
        } catch (ApiException e) {
            assertTrue(Set.of(400, 413, 415).contains(e.status()), e.status() + " " + e.getMessage());
        }
        try {
            RequestBodies.requireEmpty(request);
        } catch (ApiException e) {
            assertTrue(Set.of(400, 413, 415).contains(e.status()), e.status() + " " + e.getMessage());
        }
    }

    @Property(tries = 500)
    void gatewayEventsBecomeRequestsOrA400(@ForAll byte[] bytes, @ForAll("bodyTexts") String text,
            @ForAll boolean base64, @ForAll boolean garbleBase64) {
        Map<String, Object> event = new java.util.HashMap<>();
        event.put("routeKey", "POST /webhooks");
        event.put("rawPath", "/webhooks");
        event.put("headers", Map.of("Content-Type", "application/json"));
        String encoded = Base64.getEncoder().encodeToString(bytes.length % 2 == 0 ? bytes : text.getBytes(StandardCharsets.UTF_8));
        event.put("body", base64 ? (garbleBase64 ? encoded + "*%" : encoded) : text);
        event.put("isBase64Encoded", base64);
        try {
            ApiRequest request = ApiGatewayAdapter.toRequest(event);
            assertEquals("POST /webhooks", request.routeKey());
            assertTrue(request.body() == null || wellFormed(request.body()) || !base64, "decoded bodies are UTF-8 text");
        } catch (ApiException e) {
            assertEquals(400, e.status());
        }
    }

    @Property(tries = 1000)
    void aLimitIsFrom1To200OrA400(@ForAll("limits") String raw) {
        ApiRequest request = new ApiRequest("GET", "/webhooks", "GET /webhooks", Map.of(), Map.of("limit", raw), Map.of(), null);
        try {
            int limit = Paging.limit(request);
            assertTrue(limit >= 1 && limit <= 200, raw + " -> " + limit);
            assertTrue(raw.matches("\\+?[0-9]+"), "only plain integers are read: " + raw);
        } catch (ApiException e) {
            assertEquals(400, e.status(), raw);
        }
    }
}
