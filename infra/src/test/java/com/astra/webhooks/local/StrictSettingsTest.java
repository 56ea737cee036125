package com.astra.webhooks.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.astra.webhooks.auth.TokenVerifier;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The runner as a user starts it (a child JVM, its own environment): a setting it cannot read
 * stops it before anything starts, and the token command refuses what the handlers would refuse,
 * each with one line and no stack trace.
 */
class StrictSettingsTest {

    private record Run(int exitCode, List<String> lines) {}

    @ParameterizedTest
    // the last two pass the service's own check but not the template parameter's, as a deploy would refuse them
    @CsvSource({"REQUIRE_HTTPS,ture", "RETENTION_DAYS,30d", "DELIVERY_TIMEOUT_MS,-1", "DELIVERY_TIMEOUT_MS,30000",
            "JWKS_URL,http://idp.example.com/jwks.json", "CONSOLE_FRAME_ANCESTORS,*"})
    void aBadSettingStopsTheRunnerAtStartWithOneLineNamingIt(String name, String value) throws Exception {
        Run run = run(Map.of(name, value), "--in-memory", "--http-port", "0", "--sqs-port", "0", "--dynamodb-port", "0");
        assertEquals(2, run.exitCode(), run.lines().toString());
        assertEquals(1, run.lines().size(), run.lines().toString());
        String line = run.lines().get(0);
        assertTrue(line.startsWith("astra-local: " + name + "=" + value + " is not valid; expected "), line);
    }

    @Test
    void aBadRunnerOptionStopsItWithOneLine() throws Exception {
        Run run = run(Map.of("ASTRA_IN_MEMORY", "yes"), "--http-port", "0", "--sqs-port", "0", "--dynamodb-port", "0");
        assertEquals(2, run.exitCode(), run.lines().toString());
        assertEquals(List.of("astra-local: ASTRA_IN_MEMORY=yes is not valid; expected true or false"), run.lines());
        run = run(Map.of(), "--in-memory", "--http-port", "80x");
        assertEquals(List.of("astra-local: --http-port=80x is not valid; expected a whole number from 0 to 65535"),
                run.lines());
    }

    @Test
    void tokenCommandRefusesATenantTheHandlersWouldRefuse() throws Exception {
        Run run = run(Map.of(), "token", "--tenant", "acme#evil");
        assertEquals(2, run.exitCode(), run.lines().toString());
        assertEquals(List.of("astra-local: tenant must be 1-256 characters, no '#', no control characters and no lone surrogates"),
                run.lines());
    }

    @Test
    void tokenCommandRefusesAnUnreadableTtlInOneLine() throws Exception {
        Run run = run(Map.of(), "token", "--tenant", "acme", "--ttl", "1x");
        assertEquals(2, run.exitCode(), run.lines().toString());
        assertEquals(1, run.lines().size(), run.lines().toString());
        assertTrue(run.lines().get(0).startsWith("astra-local: --ttl '1x' is not a duration; expected"), run.lines().get(0));
    }

    @Test
    void tokenCommandMintsATokenTheHandlersAccept() throws Exception {
        Run run = run(Map.of("JWT_SECRET", "child-secret"), "token", "--tenant", "acme", "--ttl", "1h");
        assertEquals(0, run.exitCode(), run.lines().toString());
        assertEquals(1, run.lines().size(), run.lines().toString());
        TokenVerifier verifier = new TokenVerifier("child-secret", null, null, null, null);
        assertEquals("acme", verifier.tenantOf("Bearer " + run.lines().get(0)));
    }

    private static Run run(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), LocalRunner.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("ASTRA_") || k.startsWith("AWS_ENDPOINT_URL"));
        pb.environment().putAll(env);
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        boolean exited = p.waitFor(60, TimeUnit.SECONDS);
        if (!exited) {
            p.destroyForcibly();
        }
        assertFalse(!exited, "runner did not exit");
        List<String> lines = new String(out, StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
        return new Run(p.exitValue(), lines);
    }
}
