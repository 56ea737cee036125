package com.astra.webhooks.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ApiRoutesTest {

    @Test
    void literalSegmentsBeatParameters() {
        assertEquals(List.of("GET"), ApiRoutes.methodsFor("/webhooks/test-mode"));
        assertEquals(List.of("GET", "DELETE"), ApiRoutes.methodsFor("/webhooks/test-mode/log"));
    }

    @Test
    void knowsEveryMethodOfAPath() {
        assertEquals(List.of("GET", "PUT", "DELETE"), ApiRoutes.methodsFor("/webhooks/wh_123"));
        assertEquals(List.of("POST", "GET"), ApiRoutes.methodsFor("/webhooks"));
    }

    @Test
    void unknownPathsHaveNoMethods() {
        assertEquals(List.of(), ApiRoutes.methodsFor("/nope"));
        assertEquals(List.of(), ApiRoutes.methodsFor("/webhooks/a/b/c"));
        assertEquals(List.of(), ApiRoutes.methodsFor("/../etc/passwd"));
        assertEquals(List.of(), ApiRoutes.methodsFor("/webhooks/"), "a trailing slash is another path");
    }
}
