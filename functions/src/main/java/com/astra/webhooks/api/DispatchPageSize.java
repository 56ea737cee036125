package com.astra.webhooks.api;

import com.astra.webhooks.model.Dispatch;
import com.astra.webhooks.store.DispatchHistory;

/** What a dispatch adds to a list response, so that a page of large payloads stops short of API Gateway's limit. */
public final class DispatchPageSize {
    private DispatchPageSize() {}

    /** The bound every dispatch list of the API reads with. */
    public static final DispatchHistory.SizeLimit LIMIT =
            new DispatchHistory.SizeLimit(WebhooksHandler.MAX_PAGE_BYTES, DispatchPageSize::approximateJsonBytes);

    /**
     * An upper bound of the bytes a dispatch takes in a list response as the Lambda hands it to
     * API Gateway: the dispatch is written as JSON, and that JSON is then carried as the string
     * {@code body} of the Lambda's response document, so every string is escaped twice (a quote
     * in a payload, already {@code \"} there, ends up as eight bytes). API Gateway's 6 MB limit
     * counts that document.
     */
    public static long approximateJsonBytes(Dispatch d) {
        long size = 1024; // ids, numbers, timestamps, field names and JSON punctuation, escaped twice
        size += encodedTwiceBytes(d.payload());
        size += encodedTwiceBytes(d.responseBody());
        size += encodedTwiceBytes(d.url()) + encodedTwiceBytes(d.error());
        if (d.requestHeaders() != null) {
            for (var e : d.requestHeaders().entrySet()) {
                size += encodedTwiceBytes(e.getKey()) + encodedTwiceBytes(e.getValue()) + 16;
            }
        }
        return size;
    }

    /** UTF-8 bytes of {@code s} once escaped as a JSON string and the result escaped again. */
    static long encodedTwiceBytes(String s) {
        if (s == null) {
            return 0;
        }
        long bytes = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                bytes += 4; // \" then \\\"
            } else if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                bytes += 7; // six-character escape, then one more backslash: the worst spelling
            } else if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800 || Character.isSurrogate(c)) {
                bytes += 2; // a surrogate pair is four bytes of UTF-8
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}
