package com.astra.webhooks.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecoverWindowTest {

    private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    private static String problems(Map<String, Object> body) {
        return assertThrows(ValidationException.class, () -> RecoverWindow.parse(body, CLOCK)).details().toString();
    }

    @Test
    void untilDefaultsToNowAndALaterUntilIsCutToNow() {
        assertEquals(new RecoverWindow(NOW.minusSeconds(3600), NOW),
                RecoverWindow.parse(Map.of("since", "2026-11-27T11:00:00Z"), CLOCK));
        assertEquals(NOW, RecoverWindow.parse(Map.of("since", "2026-11-27T11:00:00Z", "until", "2026-12-01T00:00:00+01:00"),
                CLOCK).until());
    }

    @Test
    void fourteenDaysBackIsTheLimit() {
        RecoverWindow.parse(Map.of("since", "2026-11-13T12:00:00Z"), CLOCK);
        assertTrue(problems(Map.of("since", "2026-11-13T11:59:59Z")).contains("14 days"));
    }

    @Test
    void aMissingOrMalformedSinceAnUntilNotAfterItAndUnknownFieldsAreRefused() {
        assertTrue(problems(Map.of()).contains("since"));
        assertTrue(problems(Map.of("since", "yesterday")).contains("since"));
        assertTrue(problems(Map.of("since", 1700000000)).contains("since"));
        assertTrue(problems(Map.of("since", "2026-11-27T11:00:00Z", "until", "2026-11-27T11:00:00Z")).contains("until"));
        assertTrue(problems(Map.of("since", "2026-11-27T11:00:00Z", "from", "x")).contains("from"));
    }
}
