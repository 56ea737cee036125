package com.astra.webhooks.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The runner cuts an API function off as Lambda and API Gateway do: at the function's own
 * {@code Timeout} (a failed invoke) or at API Gateway's integration timeout, whichever is first
 * (HTTP API's 503 {"message":"Service Unavailable"}). The integration timeout is 30 s; here it is
 * shortened to 3 s so that the test need not wait for it.
 */
class ApiTimeoutTest {

    private static final Duration INTEGRATION_TIMEOUT = Duration.ofSeconds(3);
    private static LocalRunner runner;
    private static Http http;

    @BeforeAll
    static void start() throws URISyntaxException {
        Path template = Path.of(ApiTimeoutTest.class.getClassLoader().getResource("timeout-template.yaml").toURI());
        runner = LocalRunner.start(RunnerOptions.defaults().freePorts().inMemory(true).pollers(0)
                .template(template).code(StubStack.code()).settings(AstraLocalExtension.TEST_SETTINGS)
                .integrationTimeout(INTEGRATION_TIMEOUT));
        http = Http.unchecked(runner.httpUrl());
    }

    @AfterAll
    static void stop() {
        runner.close();
    }

    @Test
    void aFunctionRunningPastApiGatewaysIntegrationTimeoutIsAnsweredAsApiGatewayDoes() {
        Instant start = Instant.now();
        Http.Response r = http.get("/long/sleep", null);
        Duration took = Duration.between(start, Instant.now());
        assertEquals(503, r.status(), r.body());
        assertEquals("{\"message\":\"Service Unavailable\"}", r.body());
        assertTrue(took.compareTo(INTEGRATION_TIMEOUT) >= 0 && took.compareTo(INTEGRATION_TIMEOUT.plusSeconds(5)) < 0,
                "cut off at the integration timeout (the function's Timeout is 60 s): " + took);
    }

    @Test
    void aFunctionRunningPastItsOwnTimeoutIsAFailedInvokeAndTheFunctionStillServes() {
        Instant start = Instant.now();
        Http.Response r = http.get("/short/sleep", null);
        Duration took = Duration.between(start, Instant.now());
        assertEquals(502, r.status(), r.body());
        assertEquals(ApiGatewayBridge.BAD_GATEWAY, r.body());
        assertTrue(took.compareTo(Duration.ofSeconds(2)) >= 0 && took.compareTo(INTEGRATION_TIMEOUT) < 0,
                "cut off at the function's Timeout of 2 s, before API Gateway's: " + took);
        assertEquals(200, http.get("/short/fast", null).status(), "the next invoke is served");
    }
}
