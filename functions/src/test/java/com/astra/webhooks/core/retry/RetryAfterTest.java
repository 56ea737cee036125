package com.astra.webhooks.core.retry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RetryAfterTest {

    private static final Instant NOW = Instant.parse("2015-10-21T07:27:00Z");

    @Test
    void onlyTooManyRequestsAndServiceUnavailableAreHonoured() {
        assertTrue(RetryAfter.honouredFor(429));
        assertTrue(RetryAfter.honouredFor(503));
        assertFalse(RetryAfter.honouredFor(500));
        assertFalse(RetryAfter.honouredFor(200));
        assertFalse(RetryAfter.honouredFor(null));
    }

    @Test
    void delaySecondsAreReadAsSeconds() {
        assertEquals(Optional.of(Duration.ofSeconds(3)), RetryAfter.parse("3", NOW));
        assertEquals(Optional.of(Duration.ofSeconds(120)), RetryAfter.parse(" 120 ", NOW));
        assertEquals(Optional.of(Duration.ZERO), RetryAfter.parse("0", NOW));
    }

    @Test
    void anHttpDateIsMeasuredFromNow() {
        assertEquals(Optional.of(Duration.ofSeconds(60)), RetryAfter.parse("Wed, 21 Oct 2015 07:28:00 GMT", NOW));
    }

    @Test
    void aDateInThePastMeansNoExtraWait() {
        assertEquals(Optional.of(Duration.ZERO), RetryAfter.parse("Wed, 21 Oct 2015 07:00:00 GMT", NOW));
    }

    @Test
    void anAbsurdlyLargeNumberDoesNotOverflow() {
        assertTrue(RetryAfter.parse("99999999999999999999999", NOW).orElseThrow().toDays() > 100_000);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "-5", "1.5", "soon", "2015-10-21T07:28:00Z", "Wed, 32 Oct 2015 07:28:00 GMT"})
    void malformedValuesAreIgnored(String value) {
        assertEquals(Optional.empty(), RetryAfter.parse(value, NOW));
    }

    @Test
    void absentHeaderIsIgnored() {
        assertEquals(Optional.empty(), RetryAfter.parse(null, NOW));
    }

    @Test
    void aLongerAskLengthensTheScheduledDelay() {
        assertEquals(Duration.ofSeconds(30), RetryAfter.apply(Duration.ofSeconds(5), Optional.of(Duration.ofSeconds(30))));
    }

    @Test
    void aShorterAskNeverShortensTheSchedule() {
        assertEquals(Duration.ofMinutes(5), RetryAfter.apply(Duration.ofMinutes(5), Optional.of(Duration.ofSeconds(3))));
        assertEquals(Duration.ofMinutes(5), RetryAfter.apply(Duration.ofMinutes(5), Optional.empty()));
    }

    @Test
    void theAskIsCappedAtOneHourPastTheSchedule() {
        assertEquals(Duration.ofMinutes(65), RetryAfter.apply(Duration.ofMinutes(5), Optional.of(Duration.ofDays(3))));
    }
}
