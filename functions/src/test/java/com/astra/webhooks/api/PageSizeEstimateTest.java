package com.astra.webhooks.api;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.astra.webhooks.core.Json;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/** The page-size bound holds for any text, however JSON escapes it twice (dispatch JSON inside the Lambda response). */
class PageSizeEstimateTest {

    @Property(tries = 500)
    void encodedTwiceBytesIsAnUpperBoundOfTheRealDoubleEncoding(@ForAll String text) {
        String once = Json.write(Map.of("s", text));
        String twice = Json.write(Map.of("b", once));
        long real = twice.getBytes(StandardCharsets.UTF_8).length - "{\"b\":\"{\\\"s\\\":\\\"\\\"}\"}".length();
        assertTrue(real <= DispatchPageSize.encodedTwiceBytes(text),
                real + " > " + DispatchPageSize.encodedTwiceBytes(text));
    }

    @Property(tries = 200)
    void quotesAndBackslashesCostFourBytesEach(@ForAll("quotes") String text) {
        String twice = Json.write(Map.of("b", Json.write(Map.of("s", text))));
        long real = twice.getBytes(StandardCharsets.UTF_8).length - "{\"b\":\"{\\\"s\\\":\\\"\\\"}\"}".length();
        assertTrue(real == DispatchPageSize.encodedTwiceBytes(text), real + " vs " + DispatchPageSize.encodedTwiceBytes(text));
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<String> quotes() {
        return net.jqwik.api.Arbitraries.strings().withChars('"', '\\', 'a').ofMaxLength(200);
    }
}
