package com.astra.webhooks.core.http;

import java.nio.charset.StandardCharsets;

/**
 * Turns the kept bytes of a response into storable text: UTF-8, lossy (undecodable bytes become
 * U+FFFD), never ending in half a character because the cut at 4 KiB fell inside one, and never
 * more than the byte budget once re-encoded (a replacement character takes 3 bytes where the bad
 * byte took 1, so garbage input could otherwise grow).
 */
final class ResponseText {
    private ResponseText() {}

    static String decode(byte[] bytes, int length, boolean cutShort, int maxBytes) {
        int end = Math.min(length, bytes.length);
        if (cutShort) {
            end = withoutTrailingPartialCharacter(bytes, end);
        }
        String text = new String(bytes, 0, end, StandardCharsets.UTF_8);
        return fitToUtf8Bytes(text, maxBytes);
    }

    /** Drops an incomplete multi-byte sequence at the end, if there is one. */
    private static int withoutTrailingPartialCharacter(byte[] bytes, int end) {
        int i = end - 1;
        int continuation = 0;
        while (i >= 0 && continuation < 3 && (bytes[i] & 0xC0) == 0x80) {
            i--;
            continuation++;
        }
        if (i < 0) {
            return end;
        }
        int lead = bytes[i] & 0xFF;
        int expected = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
        return i + expected > end ? i : end;
    }

    private static String fitToUtf8Bytes(String text, int maxBytes) {
        int bytes = 0;
        int i = 0;
        while (i < text.length()) {
            int cp = text.codePointAt(i);
            int size = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            if (bytes + size > maxBytes) {
                return text.substring(0, i);
            }
            bytes += size;
            i += Character.charCount(cp);
        }
        return text;
    }
}
