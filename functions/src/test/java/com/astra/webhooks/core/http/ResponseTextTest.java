package com.astra.webhooks.core.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ResponseTextTest {

    private static String decode(byte[] bytes, boolean cutShort) {
        return ResponseText.decode(bytes, bytes.length, cutShort, 4096);
    }

    @Test
    void keepsCompleteTextAsIs() {
        assertEquals("héllo wörld €", decode("héllo wörld €".getBytes(StandardCharsets.UTF_8), false));
    }

    @Test
    void dropsACharacterCutInHalfByTheLimit() {
        byte[] euro = "ab€".getBytes(StandardCharsets.UTF_8); // a b E2 82 AC
        assertEquals("ab", decode(Arrays.copyOf(euro, 4), true));
        assertEquals("ab", decode(Arrays.copyOf(euro, 3), true));
        assertEquals("ab€", decode(euro, true));
        byte[] emoji = "a😀".getBytes(StandardCharsets.UTF_8); // a F0 9F 98 80
        assertEquals("a", decode(Arrays.copyOf(emoji, 4), true));
        assertEquals("a😀", decode(emoji, true));
    }

    @Test
    void binaryGarbageIsReplacedButStaysWithinTheByteBudget() {
        byte[] garbage = new byte[4096];
        Arrays.fill(garbage, (byte) 0xFF);
        String text = decode(garbage, true);
        assertTrue(text.chars().allMatch(c -> c == '\uFFFD'));
        assertTrue(text.getBytes(StandardCharsets.UTF_8).length <= 4096);
        assertEquals(4096 / 3, text.length());
    }

    @Test
    void emptyBodyIsEmptyText() {
        assertEquals("", decode(new byte[0], false));
    }
}
