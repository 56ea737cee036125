package com.astra.webhooks.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class TextTest {

    @Test
    void replacesControlCharactersAndLoneSurrogatesButKeepsPairs() {
        assertEquals("\"a?b\"", Text.printable("a\nb"));
        assertEquals("\"?x?\"", Text.printable("\ud800x\udc00"));
        assertEquals("\"\ud83d\udca9\"", Text.printable("\ud83d\udca9"));
    }

    @Test
    void aPairCutAt64CharactersLeavesNoLoneHalf() {
        String s = "a".repeat(63) + "\ud83d\udca9";
        assertEquals("\"" + "a".repeat(63) + "?…\"", Text.printable(s));
    }

    @Test
    void wellFormedTurnsOnlyLoneSurrogatesIntoQuestionMarks() {
        String clean = "{\"a\":\"\ud83d\udca9\"}";
        assertEquals(clean, Text.wellFormed(clean));
        assertEquals("{\"a\":\"?x?\ud83d\udca9\"}", Text.wellFormed("{\"a\":\"\udc00x\ud800\ud83d\udca9\"}"));
    }
}
