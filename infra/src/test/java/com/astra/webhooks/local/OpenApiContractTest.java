package com.astra.webhooks.local;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The checker itself: it must accept what the document says and refuse what it does not. */
class OpenApiContractTest {

    private final OpenApiContract contract = OpenApiContract.get();

    private static final String WEBHOOK = "{\"id\":\"wh_01jdz2a8n5v3k7m9q0r4s6t8w1\",\"url\":\"https://example.com/h\","
            + "\"events\":[\"agent_completed\"],\"description\":null,\"enabled\":true,\"disabledReason\":null,"
            + "\"headers\":{},\"rateLimit\":null,\"signing\":\"hmac\",\"publicKey\":null,"
            + "\"filter\":{\"data.run.status\":{\"$in\":[\"failed\"]}},\"retrySchedule\":\"1s,1m\","
            + "\"createdAt\":\"2026-11-27T10:00:00Z\",\"updatedAt\":\"2026-11-27T10:00:00Z\"}";

    @Test
    void aDocumentedResponseIsAccepted() {
        assertDoesNotThrow(() -> contract.check("GET", "/webhooks/wh_01jdz2a8n5v3k7m9q0r4s6t8w1", 200,
                "application/json", WEBHOOK));
        assertDoesNotThrow(() -> contract.check("DELETE", "/webhooks/wh_01jdz2a8n5v3k7m9q0r4s6t8w1", 204, null, ""));
    }

    @Test
    void aMissingFieldIsRefused() {
        AssertionError e = assertThrows(AssertionError.class, () -> contract.check("GET",
                "/webhooks/wh_01jdz2a8n5v3k7m9q0r4s6t8w1", 200, "application/json", WEBHOOK.replace(",\"rateLimit\":null", "")));
        assertTrue(e.getMessage().contains("rateLimit"), e.getMessage());
    }

    @Test
    void anUndocumentedFieldIsRefused() {
        assertThrows(AssertionError.class, () -> contract.check("GET", "/webhooks/wh_01jdz2a8n5v3k7m9q0r4s6t8w1", 200,
                "application/json", WEBHOOK.replace("{\"id\"", "{\"secret\":\"whsec_x\",\"id\"")));
    }

    @Test
    void anUndocumentedStatusIsRefused() {
        AssertionError e = assertThrows(AssertionError.class, () -> contract.check("GET", "/event-types", 418,
                "application/json", "{}"));
        assertTrue(e.getMessage().contains("418"), e.getMessage());
    }

    @Test
    void aLiteralRouteWinsOverATemplate() {
        assertDoesNotThrow(() -> contract.check("GET", "/webhooks/test-mode", 200, "application/json",
                "{\"enabled\":false,\"updatedAt\":null}"));
    }

    @Test
    void errorsMustHaveTheContractShape() {
        assertDoesNotThrow(() -> contract.check("GET", "/nowhere", 404, "application/json",
                "{\"error\":{\"code\":\"not_found\",\"message\":\"no route\",\"details\":[]}}"));
        assertThrows(AssertionError.class, () -> contract.check("GET", "/nowhere", 404, "application/json",
                "{\"message\":\"Not Found\"}"));
    }

    @Test
    void everyRouteOfTheTemplateIsDocumentedAndNothingElse() {
        Set<String> template = TemplateModel.bundled().httpRoutes().stream()
                .filter(r -> !r.path().equals("$default"))
                .map(r -> r.method() + " " + r.path())
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(template, new TreeSet<>(contract.routes()),
                "template.yaml's HttpApi routes and openapi.yaml's operations differ");
    }
}
