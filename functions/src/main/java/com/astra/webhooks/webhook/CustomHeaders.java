package com.astra.webhooks.webhook;

import static com.astra.webhooks.core.Text.printable;
import static com.astra.webhooks.webhook.WebhookValidator.problem;

import com.astra.webhooks.core.RequestLimits;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The rules for a webhook's {@code headers} (DESIGN.md "Receiver controls"): a bounded number of
 * pairs, names RFC 7230 tokens, values printable ASCII (the bounds are in {@link RequestLimits}),
 * and no name the service itself sets or that would change how the request is
 * framed.
 *
 * <p>Besides the names the contract lists, {@code expect}, {@code upgrade}, {@code keep-alive},
 * {@code te}, {@code trailer} and {@code proxy-*} are refused: they are hop-by-hop or change the
 * exchange itself, and the JDK's HTTP client refuses to send some of them at all, which would
 * turn every delivery into a failure long after the webhook was accepted.
 */
public final class CustomHeaders {

    private static final Set<String> RESERVED = Set.of("host", "content-length", "content-type", "user-agent",
            "transfer-encoding", "connection", "expect", "upgrade", "keep-alive", "te", "trailer");
    private static final String TCHAR_SYMBOLS = "!#$%&'*+-.^_`|~";

    private CustomHeaders() {
    }

    /**
     * Checks {@code value} (the JSON of the {@code headers} field) and returns the headers in
     * the order given, or adds every problem found to {@code problems} and returns null. Null
     * (JSON null) means no custom headers.
     */
    static Map<String, String> validate(Object value, List<Map<String, Object>> problems) {
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof Map<?, ?> map)) {
            problems.add(problem("headers", "must be an object of header names to string values"));
            return null;
        }
        if (map.size() > RequestLimits.CUSTOM_HEADERS) {
            problems.add(problem("headers", "must hold at most " + RequestLimits.CUSTOM_HEADERS + " headers, got " + map.size()));
            return null;
        }
        int before = problems.size();
        Map<String, String> seen = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        Map<String, String> headers = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String name = (String) e.getKey(); // JSON object keys are strings
            if (!isToken(name)) {
                problems.add(problem("headers", "header name " + printable(name) + " must be an RFC 7230 token of 1 to "
                        + RequestLimits.CUSTOM_HEADER_NAME_CHARS + " characters (letters, digits and !#$%&'*+-.^_`|~)"));
                continue;
            }
            String field = "headers." + name;
            if (reserved(name)) {
                problems.add(problem(field, "is set by the service and cannot be overridden"));
                continue;
            }
            if (seen.put(name, name) != null) {
                problems.add(problem(field, "is given more than once (header names are case-insensitive)"));
                continue;
            }
            if (!(e.getValue() instanceof String v)) {
                problems.add(problem(field, "must be a string"));
                continue;
            }
            if (v.length() > RequestLimits.CUSTOM_HEADER_VALUE_CHARS) {
                problems.add(problem(field, "value must be at most " + RequestLimits.CUSTOM_HEADER_VALUE_CHARS + " characters"));
                continue;
            }
            if (!printableAscii(v)) {
                problems.add(problem(field, "value must be printable ASCII (no control characters)"));
                continue;
            }
            headers.put(name, v);
        }
        return problems.size() == before ? headers : null;
    }

    private static boolean isToken(String name) {
        if (name.isEmpty() || name.length() > RequestLimits.CUSTOM_HEADER_NAME_CHARS) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean tchar = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || TCHAR_SYMBOLS.indexOf(c) >= 0;
            if (!tchar) {
                return false;
            }
        }
        return true;
    }

    private static boolean reserved(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return RESERVED.contains(lower) || lower.startsWith("webhook-") || lower.startsWith("proxy-");
    }

    private static boolean printableAscii(String v) {
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                return false;
            }
        }
        return true;
    }
}
