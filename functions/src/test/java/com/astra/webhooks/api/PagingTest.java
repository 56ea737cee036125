package com.astra.webhooks.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PagingTest {

    private static ApiRequest withLimit(String limit) {
        return new ApiRequest("GET", "/webhooks", "GET /webhooks", Map.of(),
                limit == null ? Map.of() : Map.of("limit", limit), Map.of(), null);
    }

    @ParameterizedTest
    @CsvSource({"1,1", "50,50", "200,200", "201,200", "500,200", "99999999999999999999999,200", "007,7"})
    void clampsLimitsAbove200(String raw, int expected) {
        assertEquals(expected, Paging.limit(withLimit(raw)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1", "abc", "1.5", "", " 5", "1e3", "0x10", "-99999999999999999999"})
    void rejectsLimitsThatAreNotPositiveIntegers(String raw) {
        ApiException e = assertThrows(ApiException.class, () -> Paging.limit(withLimit(raw)));
        assertEquals(400, e.status());
    }

    @org.junit.jupiter.api.Test
    void defaultsTo50() {
        assertEquals(50, Paging.limit(withLimit(null)));
    }
}
