package com.astra.webhooks.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.astra.webhooks.core.urlguard.TargetGuard;
import com.astra.webhooks.model.EventTypeCatalog;
import com.astra.webhooks.model.SigningMode;
import com.astra.webhooks.model.WebhookChanges;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WebhookValidatorTest {

    private final WebhookValidator validator =
            new WebhookValidator(EventTypeCatalog.parse(null), new TargetGuard(true, false));

    private static Map<String, Object> body(Object... kv) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void acceptsAMinimalWebhook() {
        WebhookChanges c = validator.forCreate(body("url", "https://example.com/hook", "events", List.of("agent_completed")));
        assertEquals("https://example.com/hook", c.url());
        assertEquals(List.of("agent_completed"), c.events());
        assertNull(c.enabled());
    }

    @Test
    void acceptsStarAsStringOrList() {
        assertEquals(List.of("*"), validator.forCreate(body("url", "https://e.com", "events", "*")).events());
        assertEquals(List.of("*"), validator.forCreate(body("url", "https://e.com", "events", List.of("*"))).events());
    }

    @Test
    void rejectsUnknownEventTypeAndListsTheCatalog() {
        ValidationException e = assertThrows(ValidationException.class,
                () -> validator.forCreate(body("url", "https://e.com", "events", List.of("agent.exploded"))));
        assertTrue(e.getMessage().contains("agent.exploded"));
        assertTrue(e.getMessage().contains("tool.executed"), e.getMessage());
    }

    @Test
    void rejectsUnknownFieldsMissingFieldsAndWrongTypesAllAtOnce() {
        ValidationException e = assertThrows(ValidationException.class,
                () -> validator.forCreate(body("colour", "red", "enabled", "yes")));
        List<Object> fields = e.details().stream().map(d -> d.get("field")).toList();
        assertTrue(fields.contains("\"colour\""), fields.toString());
        assertTrue(fields.contains("url"));
        assertTrue(fields.contains("events"));
        assertTrue(fields.contains("enabled"));
    }

    @Test
    void rejectsDuplicateAndTooManyAndEmptyEvents() {
        assertThrows(ValidationException.class, () -> validator.forCreate(
                body("url", "https://e.com", "events", List.of("agent_completed", "agent_completed"))));
        assertThrows(ValidationException.class, () -> validator.forCreate(body("url", "https://e.com", "events", List.of())));
        assertThrows(ValidationException.class, () -> validator.forCreate(
                body("url", "https://e.com", "events", java.util.Collections.nCopies(51, "agent_completed"))));
        assertThrows(ValidationException.class, () -> validator.forCreate(
                body("url", "https://e.com", "events", List.of("*", "agent_completed"))));
    }

    @Test
    void rejectsOversizedUrlAndDescription() {
        assertThrows(ValidationException.class, () -> validator.forCreate(
                body("url", "https://e.com/" + "a".repeat(2048), "events", "*")));
        assertThrows(ValidationException.class, () -> validator.forCreate(
                body("url", "https://e.com", "events", "*", "description", "d".repeat(1025))));
        validator.forCreate(body("url", "https://e.com", "events", "*", "description", "d".repeat(1024)));
    }

    @Test
    void rejectsControlCharactersAndLoneSurrogatesInDescription() {
        assertThrows(ValidationException.class, () -> validator.forCreate(
                body("url", "https://e.com", "events", "*", "description", "bell\u0007")));
        assertThrows(ValidationException.class, () -> validator.forCreate(
                body("url", "https://e.com", "events", "*", "description", "half\uD800")));
        assertThrows(ValidationException.class, () -> validator.forCreate(
                body("url", "https://e.com", "events", "*", "description", "rtl\u202Eoverride")));
        validator.forCreate(body("url", "https://e.com", "events", "*", "description", "line one\nline two 🚀"));
    }

    @Test
    void updateTakesOnlyTheFieldsPresentAndNullClearsDescription() {
        WebhookChanges c = validator.forUpdate(body("description", null));
        assertNull(c.url());
        assertNull(c.events());
        assertTrue(c.clearDescription());
        assertThrows(ValidationException.class, () -> validator.forUpdate(body("url", null)));
        assertThrows(ValidationException.class, () -> validator.forUpdate(body("enabled", null)));
        assertNull(c.headers(), "headers absent from an update are kept");
        assertNull(c.rateLimit());
        assertFalse(c.clearRateLimit());
    }

    @Test
    void createDefaultsToNoHeadersAndNoRateLimit() {
        WebhookChanges c = validator.forCreate(body("url", "https://e.com", "events", "*"));
        assertEquals(Map.of(), c.headers());
        assertNull(c.rateLimit());
    }

    @Test
    void headersAreCheckedByTheCustomHeaderRules() {
        WebhookChanges c = validator.forUpdate(body("headers", Map.of("X-Api-Key", "k1")));
        assertEquals(Map.of("X-Api-Key", "k1"), c.headers());
        ValidationException e = assertThrows(ValidationException.class,
                () -> validator.forUpdate(body("headers", Map.of("Host", "x"))));
        assertEquals("headers.Host", e.details().get(0).get("field"));
        assertTrue(e.getMessage().contains("headers.Host"), e.getMessage());
    }

    @Test
    void rateLimitIsAWholeNumberFrom1To10000OrNull() {
        assertEquals(1, validator.forUpdate(body("rateLimit", 1)).rateLimit());
        assertEquals(10_000, validator.forUpdate(body("rateLimit", 10_000L)).rateLimit());
        WebhookChanges cleared = validator.forUpdate(body("rateLimit", null));
        assertNull(cleared.rateLimit());
        assertTrue(cleared.clearRateLimit());
        for (Object bad : List.of(0, -1, 10_001, 20.0, 1e3, "20", true, Long.MAX_VALUE,
                new java.math.BigInteger("99999999999999999999"), Map.of())) {
            ValidationException e = assertThrows(ValidationException.class,
                    () -> validator.forUpdate(body("rateLimit", bad)), String.valueOf(bad));
            assertEquals("rateLimit", e.details().get(0).get("field"));
        }
    }

    @Test
    void signingIsHmacByDefaultOnCreateAbsentOnUpdateAndOneOfThreeModes() {
        assertEquals(SigningMode.HMAC, validator.forCreate(body("url", "https://e.com", "events", "*")).signing());
        assertNull(validator.forUpdate(body("enabled", true)).signing(), "an update without it keeps the mode");
        for (SigningMode mode : SigningMode.values()) {
            assertEquals(mode, validator.forCreate(body("url", "https://e.com", "events", "*", "signing", mode.wire())).signing());
            assertEquals(mode, validator.forUpdate(body("signing", mode.wire())).signing());
        }
        assertNull(validator.forUpdate(body("signing", "ed25519")).signingKey(), "the key pair is the service's, not the body's");
    }

    @Test
    void anyOtherSigningValueIsRefusedNamingTheFieldAndTheModes() {
        for (Object bad : java.util.Arrays.asList("HMAC", "v1a", "", null, 1, List.of("hmac"), "both ")) {
            ValidationException e = assertThrows(ValidationException.class,
                    () -> validator.forUpdate(body("signing", bad)), String.valueOf(bad));
            assertEquals("signing", e.details().get(0).get("field"));
            assertTrue(e.getMessage().contains("hmac, ed25519, both"), e.getMessage());
        }
    }

    @Test
    void filterIsCompiledOrRefusedNamingItsPath() {
        WebhookChanges c = validator.forUpdate(body("filter", Map.of("data.run.status", "failed")));
        assertTrue(c.filter().matches(Map.of("data", Map.of("run", Map.of("status", "failed")))));
        WebhookChanges cleared = validator.forUpdate(body("filter", null));
        assertNull(cleared.filter());
        assertTrue(cleared.clearFilter());
        assertFalse(validator.forUpdate(body("enabled", true)).clearFilter(), "absent is not null");

        ValidationException e = assertThrows(ValidationException.class, () -> validator.forUpdate(body("filter",
                Map.of("$or", List.of(Map.of("event", "agent.failed"), Map.of("data.n", Map.of("$gt", true)))))));
        assertEquals("filter.$or[1].data.n.$gt", e.details().get(0).get("field"));
        assertTrue(e.getMessage().startsWith("filter.$or[1].data.n.$gt must be a number or a string"), e.getMessage());
        assertEquals("filter", assertThrows(ValidationException.class,
                () -> validator.forUpdate(body("filter", "event == x"))).details().get(0).get("field"));
    }

    @Test
    void retryScheduleUsesTheRetryScheduleNotationWithinLimits() {
        assertEquals("1s,1s", validator.forUpdate(body("retrySchedule", "1s, 1s")).retrySchedule().toString());
        assertEquals(21, validator.forUpdate(body("retrySchedule", String.join(",", java.util.Collections.nCopies(20, "1h"))))
                .retrySchedule().maxAttempts());
        assertEquals("1d,1d,1d", validator.forUpdate(body("retrySchedule", "24h,24h,24h")).retrySchedule().toString());
        WebhookChanges cleared = validator.forUpdate(body("retrySchedule", null));
        assertNull(cleared.retrySchedule());
        assertTrue(cleared.clearRetrySchedule());
        for (Object bad : List.of("", "5s,,5m", "5x", "0s", "500ms", "25h", "24h,24h,24h,1s",
                String.join(",", java.util.Collections.nCopies(21, "1s")), 5, List.of("5s"))) {
            ValidationException e = assertThrows(ValidationException.class,
                    () -> validator.forUpdate(body("retrySchedule", bad)), String.valueOf(bad));
            assertEquals("retrySchedule", e.details().get(0).get("field"), String.valueOf(bad));
            assertTrue(e.getMessage().startsWith("retrySchedule "), e.getMessage());
        }
    }
}
