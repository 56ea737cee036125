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

    @Test
    void routePathBindsDecodedParametersAndRanksLiteralsFirst() {
        var param = RoutePath.bind("/webhooks/{id}", "/webhooks/a%2Fb+c").orElseThrow();
        assertEquals(java.util.Map.of("id", "a/b+c"), param.parameters());
        var literal = RoutePath.bind("/webhooks/test-mode", "/webhooks/test-mode").orElseThrow();
        var asParam = RoutePath.bind("/webhooks/{id}", "/webhooks/test-mode").orElseThrow();
        assertEquals(1, Integer.signum(RoutePath.moreSpecific(literal.specificity(), asParam.specificity())));
        assertEquals(java.util.Map.of("path", "a/b"), RoutePath.bind("/files/{path+}", "/files/a/b").orElseThrow().parameters());
        assertEquals(java.util.Optional.empty(), RoutePath.bind("/webhooks/{id}", "/webhooks/"));
        assertEquals(List.of("GET", "PUT", "DELETE"), ApiRoutes.methodsFor("/webhooks/%"), "a broken escape still matches");
    }
}
