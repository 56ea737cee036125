package com.astra.webhooks.core;

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
        return "\"" + cut.replaceAll("\\p{Cntrl}", "?")
                .replaceAll("[\\x{D800}-\\x{DFFF}]", "?") // regexes read pairs as one code point: only lone halves match
                + "\"";
    }
}
