package com.astra.webhooks.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

class TimestampsTest {

    @Test
    void everyTimeHasExactlyThreeFractionDigits() {
        assertEquals("2026-01-02T03:04:12.000Z", Timestamps.format(Instant.parse("2026-01-02T03:04:12Z")));
        assertEquals("2026-01-02T03:04:12.010Z", Timestamps.format(Instant.parse("2026-01-02T03:04:12.010Z")));
        assertEquals("2026-01-02T03:04:12.010Z", Timestamps.format(Instant.parse("2026-01-02T03:04:12.010999Z")),
                "finer digits are dropped, not rounded up into the next millisecond");
        assertNull(Timestamps.format(null));
    }

    /** Instant.toString() writes ":12Z" and ":12.010Z", which sort the wrong way round as strings. */
    @Test
    void stringsSortAsTheTimesDo() {
        List<Instant> times = List.of(Instant.parse("2026-01-02T03:04:12Z"), Instant.parse("2026-01-02T03:04:12.010Z"),
                Instant.parse("2026-01-02T03:04:12.500Z"), Instant.parse("2026-01-02T03:04:13Z"));
        List<String> written = new ArrayList<>(times.stream().map(Timestamps::format).toList());
        written.sort(Comparator.naturalOrder());
        assertEquals(times.stream().map(Timestamps::format).toList(), written);
        assertEquals(Instant.parse("2026-01-02T03:04:12Z"), Instant.parse(Timestamps.format(times.get(0))), "read back as written");
    }
}
