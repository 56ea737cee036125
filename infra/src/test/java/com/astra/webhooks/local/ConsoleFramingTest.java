package com.astra.webhooks.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.astra.webhooks.config.Settings;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * CONSOLE_FRAME_ANCESTORS through the runner and the DocsFunction's template entry: the console
 * served by a stack that names a platform's origin may be framed by that origin alone; the rest
 * of its Content-Security-Policy is the same as a stack's that names none.
 */
class ConsoleFramingTest {

    @Test
    void aNamedOriginMayFrameTheConsoleAndNothingElseLoosens() {
        Map<String, String> settings = new HashMap<>(AstraLocalExtension.TEST_SETTINGS);
        String closedCsp;
        try (LocalRunner plain = LocalRunner.start(RunnerOptions.defaults().freePorts().inMemory(true).pollers(0)
                .settings(settings))) {
            Http.Response page = new Http(plain.httpUrl()).get("/console", null);
            assertEquals(200, page.status());
            closedCsp = page.header("content-security-policy").orElseThrow();
            assertTrue(closedCsp.endsWith("frame-ancestors 'none'"), closedCsp);
            assertEquals("DENY", page.header("x-frame-options").orElse(null));
        }
        settings.put(Settings.CONSOLE_FRAME_ANCESTORS, "https://app.example.com,https://*.example.org");
        try (LocalRunner framed = LocalRunner.start(RunnerOptions.defaults().freePorts().inMemory(true).pollers(0)
                .settings(settings))) {
            Http.Response page = new Http(framed.httpUrl()).get("/console", null);
            assertEquals(200, page.status());
            String csp = page.header("content-security-policy").orElseThrow();
            assertEquals(closedCsp.replace("frame-ancestors 'none'",
                    "frame-ancestors https://app.example.com https://*.example.org"), csp);
            assertFalse(page.header("x-frame-options").isPresent(), "X-Frame-Options cannot name origins");
        }
    }
}
