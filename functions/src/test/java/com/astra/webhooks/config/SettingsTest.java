package com.astra.webhooks.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.astra.webhooks.core.retry.RetrySchedule;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SettingsTest {

    @Test
    void unsetAndBlankValuesTakeTheDocumentedDefaults() {
        for (Settings s : List.of(Settings.parse(Map.of()), Settings.parse(Map.of(Settings.REQUIRE_HTTPS, " ",
                Settings.RETENTION_DAYS, "", Settings.JWT_SECRET, "  ", Settings.RETRY_SCHEDULE, "  ")))) {
            assertTrue(s.requireHttps());
            assertFalse(s.allowPrivateTargets());
            assertEquals(Duration.ofSeconds(10), s.deliveryTimeout());
            assertEquals(Duration.ofDays(30), s.retention());
            assertEquals(64, s.deliveryThreads());
            assertEquals(RetrySchedule.defaultSchedule(), s.retrySchedule());
            assertEquals(8, s.retrySchedule().maxAttempts());
            assertEquals("us-east-1", s.awsRegion());
            assertNull(s.jwtSecret());
            assertNull(s.dynamoDbEndpoint());
        }
    }

    @Test
    void readsEveryTypedValue() {
        Settings s = Settings.parse(Map.of(Settings.REQUIRE_HTTPS, "false", Settings.ALLOW_PRIVATE_TARGETS, "true",
                Settings.DELIVERY_TIMEOUT_MS, "2500", Settings.RETENTION_DAYS, "7", Settings.MAX_CONCURRENCY, "8",
                Settings.RETRY_SCHEDULE, "1s, 2s", Settings.AWS_ENDPOINT_URL_SQS, "http://127.0.0.1:9324",
                Settings.EVENT_TYPES, "a.b,c"));
        assertFalse(s.requireHttps());
        assertTrue(s.allowPrivateTargets());
        assertEquals(Duration.ofMillis(2500), s.deliveryTimeout());
        assertEquals(Duration.ofDays(7), s.retention());
        assertEquals(8, s.deliveryThreads());
        assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2)), s.retrySchedule().delays());
        assertEquals(URI.create("http://127.0.0.1:9324"), s.sqsEndpoint());
        assertTrue(s.eventTypes().contains("c"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "REQUIRE_HTTPS|ture|true or false",
            "REQUIRE_HTTPS|TRUE|true or false",
            "REQUIRE_HTTPS|1|true or false",
            "ALLOW_PRIVATE_TARGETS|yes|true or false",
            "RETENTION_DAYS|30d|whole number of days from 1 to 3650",
            "RETENTION_DAYS|0|whole number of days from 1 to 3650",
            "DELIVERY_TIMEOUT_MS|-1|whole number of milliseconds from 1 to 900000",
            "DELIVERY_TIMEOUT_MS|10s|whole number of milliseconds from 1 to 900000",
            "DELIVERY_TIMEOUT_MS|99999999999999|whole number of milliseconds from 1 to 900000",
            "MAX_CONCURRENCY|0|whole number of threads from 1 to 1024",
            "RETRY_SCHEDULE|5s,,5m|comma-separated delays",
            "AWS_ENDPOINT_URL_DYNAMODB|localhost:8000|an http(s) URL",
            "CONSOLE_FRAME_ANCESTORS|*|comma-separated origins",
            "CONSOLE_FRAME_ANCESTORS|https://a.example.com/path|comma-separated origins",
            "CONSOLE_FRAME_ANCESTORS|https://a.example.com;script-src *|comma-separated origins",
            "CONSOLE_FRAME_ANCESTORS|'self'|comma-separated origins",
            "CONSOLE_FRAME_ANCESTORS|javascript://x|comma-separated origins",
            "CONSOLE_FRAME_ANCESTORS|https://a.example.com,,|comma-separated origins"})
    void refusesAValueItCannotReadNamingTheVariableAndWhatItAccepts(String name, String value, String accepted) {
        SettingsException e = assertThrows(SettingsException.class, () -> Settings.parse(Map.of(name, value)));
        assertTrue(e.getMessage().startsWith(name + "=" + value + " is not valid; expected "), e.getMessage());
        assertTrue(e.getMessage().contains(accepted), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void consoleFrameAncestorsAreOriginsOnly() {
        assertEquals(java.util.List.of(), Settings.parse(Map.of()).consoleFrameAncestors());
        assertEquals(java.util.List.of("https://app.example.com", "https://*.example.org:8443"),
                Settings.parse(Map.of("CONSOLE_FRAME_ANCESTORS", "https://App.example.com, https://*.example.org:8443"))
                        .consoleFrameAncestors());
    }

    @Test
    void aMissingRequiredSettingIsNamed() {
        SettingsException e = assertThrows(SettingsException.class,
                () -> Settings.require(Settings.TABLE_NAME, Settings.parse(Map.of()).tableName()));
        assertEquals("TABLE_NAME is not set", e.getMessage());
    }

    @Test
    void credentialsCountAsConfiguredOnlyWhenTheSdkWouldFindSome() {
        assertFalse(Settings.parse(Map.of()).awsCredentialsConfigured());
        assertTrue(Settings.parse(Map.of("AWS_PROFILE", "prod")).awsCredentialsConfigured());
    }

    @Test
    void deployedCodeReadsTheProcessEnvironmentOnly() {
        // nothing on Lambda sets LambdaEnvironment's local channel; system properties are never read
        assertSame(System.getenv(), LambdaEnvironment.variables());
        String name = Settings.RETENTION_DAYS;
        String before = System.getProperty(name);
        System.setProperty(name, "7");
        try {
            assertEquals(Settings.parse(System.getenv()).retention(), Settings.fromEnvironment().retention());
        } finally {
            if (before == null) {
                System.clearProperty(name);
            } else {
                System.setProperty(name, before);
            }
        }
    }
}
