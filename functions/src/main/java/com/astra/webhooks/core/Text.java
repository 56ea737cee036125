package com.astra.webhooks.core;

import java.nio.charset.StandardCharsets;

/** Text we echo back to clients or logs, made safe to print. */
public final class Text {
    private Text() {}

    /**
     * Quoted, cut to 64 characters, control characters and lone surrogates replaced: user input in a
     * message cannot forge lines, and the message stays text that encodes as UTF-8.
     */
    public static String printable(String s) {
        if (s == null) {
            return "null";
        }
        String cut = s.length() > 64 ? s.substring(0, 64) + "…" : s;
        return "\"" + wellFormed(cut.replaceAll("\\p{Cntrl}", "?")) + "\"";
    }

    /**
     * The text with each lone UTF-16 surrogate, which no UTF-8 text can hold, turned into '?';
     * well-formed pairs stay. The same string when there is none, which is nearly always.
     */
    public static String wellFormed(String s) {
        return s.chars().noneMatch(c -> Character.isSurrogate((char) c)) ? s
                : new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
    }
}
