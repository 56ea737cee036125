package com.astra.webhooks.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CustomHeadersTest {

    private final List<Map<String, Object>> problems = new ArrayList<>();

    @Test
    void validHeadersAreKeptInTheirOrder() {
        Map<String, Object> in = new LinkedHashMap<>();
        in.put("Authorization", "Bearer abc.def");
        in.put("X-Tenant", "acme");
        assertEquals(Map.of("Authorization", "Bearer abc.def", "X-Tenant", "acme"), CustomHeaders.validate(in, problems));
        assertEquals(List.of("Authorization", "X-Tenant"), List.copyOf(CustomHeaders.validate(in, problems).keySet()));
        assertTrue(problems.isEmpty());
    }

    @Test
    void nullMeansNoHeaders() {
        assertEquals(Map.of(), CustomHeaders.validate(null, problems));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Host", "host", "Content-Length", "content-type", "User-Agent", "Transfer-Encoding",
            "Connection", "webhook-id", "Webhook-Signature", "webhook-timestamp", "webhook-anything", "Expect",
            "Upgrade", "Proxy-Authorization", "TE"})
    void namesTheServiceSetsAreRefusedByName(String name) {
        assertNull(CustomHeaders.validate(Map.of(name, "x"), problems));
        assertEquals("headers." + name, problems.get(0).get("field"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "X Space", "X:Colon", "X\u0001", "Ümlaut", "(paren)"})
    void namesThatAreNotTokensAreRefused(String name) {
        assertNull(CustomHeaders.validate(Map.of(name, "x"), problems));
        assertEquals(1, problems.size());
    }

    @Test
    void aNameOver64CharactersIsRefused() {
        assertNull(CustomHeaders.validate(Map.of("X".repeat(65), "x"), problems));
        assertEquals(Map.of("X".repeat(64), "x"), CustomHeaders.validate(Map.of("X".repeat(64), "x"), new ArrayList<>()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\r\nInjected: yes", "tab\there", "nul\u0000", "del\u007f", "é"})
    void valuesWithControlOrNonAsciiCharactersAreRefused(String value) {
        assertNull(CustomHeaders.validate(Map.of("X-A", value), problems));
        assertEquals("headers.X-A", problems.get(0).get("field"));
    }

    @Test
    void aValueOver1024CharactersIsRefused() {
        assertNull(CustomHeaders.validate(Map.of("X-A", "v".repeat(1025)), problems));
    }

    @Test
    void aNonStringValueIsRefused() {
        assertNull(CustomHeaders.validate(Map.of("X-A", 5), problems));
    }

    @Test
    void aTwentyFirstHeaderIsRefused() {
        Map<String, Object> in = new LinkedHashMap<>();
        for (int i = 0; i < 20; i++) {
            in.put("X-" + i, "v");
        }
        assertEquals(20, CustomHeaders.validate(in, new ArrayList<>()).size());
        in.put("X-20", "v");
        assertNull(CustomHeaders.validate(in, problems));
        assertEquals("headers", problems.get(0).get("field"));
    }

    @Test
    void namesDifferingOnlyInCaseAreOneHeaderGivenTwice() {
        Map<String, Object> in = new LinkedHashMap<>();
        in.put("X-A", "1");
        in.put("x-a", "2");
        assertNull(CustomHeaders.validate(in, problems));
    }

    @Test
    void everyBrokenHeaderIsReported() {
        Map<String, Object> in = new LinkedHashMap<>();
        in.put("Host", "x");
        in.put("webhook-id", "x");
        in.put("X-Ok", "fine");
        assertNull(CustomHeaders.validate(in, problems));
        assertEquals(2, problems.size());
    }

    @Test
    void anArrayIsNotHeaders() {
        assertNull(CustomHeaders.validate(List.of("X-A"), problems));
        assertEquals("headers", problems.get(0).get("field"));
    }
}
