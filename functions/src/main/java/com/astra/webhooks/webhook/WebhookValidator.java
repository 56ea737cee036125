package com.astra.webhooks.webhook;

import static com.astra.webhooks.core.Text.printable;

import com.astra.webhooks.core.RequestLimits;
import com.astra.webhooks.core.filter.EventFilter;
import com.astra.webhooks.core.filter.InvalidFilterException;
import com.astra.webhooks.core.retry.RetrySchedule;
import com.astra.webhooks.core.urlguard.TargetGuard;
import com.astra.webhooks.model.EventTypeCatalog;
import com.astra.webhooks.model.SigningMode;
import com.astra.webhooks.model.Webhook;
import com.astra.webhooks.model.WebhookChanges;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rules for a webhook body (DESIGN.md "HTTP API"): known fields only, {@code url} absolute
 * http(s) and allowed by the target guard, {@code events} distinct catalog names or "*",
 * {@code description} a string or null, {@code headers} as {@link CustomHeaders} says,
 * {@code rateLimit} deliveries per second or null (sizes and ranges: {@link RequestLimits}),
 * {@code filter} as {@link EventFilter}
 * says, {@code retrySchedule} as {@link RetryScheduleLimits} says, {@code signing} one of the
 * {@link SigningMode}s. Every broken rule is reported at once.
 */
public final class WebhookValidator {

    /** In the order the "unknown field" message lists them. */
    private static final List<String> FIELD_NAMES = List.of("url", "events", "description", "enabled", "headers",
            "rateLimit", "filter", "retrySchedule", "signing");
    private static final Set<String> FIELDS = Set.copyOf(FIELD_NAMES);

    private final EventTypeCatalog catalog;
    private final TargetGuard guard;

    public WebhookValidator(EventTypeCatalog catalog, TargetGuard guard) {
        this.catalog = catalog;
        this.guard = guard;
    }

    public WebhookChanges forCreate(Map<String, Object> body) {
        return validate(body, true);
    }

    public WebhookChanges forUpdate(Map<String, Object> body) {
        return validate(body, false);
    }

    private WebhookChanges validate(Map<String, Object> body, boolean creating) {
        List<Map<String, Object>> problems = new ArrayList<>();
        for (String field : body.keySet()) {
            if (!FIELDS.contains(field)) {
                problems.add(problem(printable(field), "unknown field; allowed: " + String.join(", ", FIELD_NAMES)));
            }
        }
        String url = null;
        if (body.containsKey("url") || creating) {
            url = url(body.get("url"), body.containsKey("url"), problems);
        }
        List<String> events = null;
        if (body.containsKey("events") || creating) {
            events = events(body.get("events"), body.containsKey("events"), problems);
        }
        String description = description(body.get("description"), problems);
        Boolean enabled = null;
        if (body.containsKey("enabled")) {
            if (body.get("enabled") instanceof Boolean b) {
                enabled = b;
            } else {
                problems.add(problem("enabled", "must be true or false"));
            }
        }
        Map<String, String> headers = null;
        if (body.containsKey("headers") || creating) {
            headers = CustomHeaders.validate(body.get("headers"), problems);
        }
        Integer rateLimit = rateLimit(body.get("rateLimit"), problems);
        SigningMode signing = signing(body, creating, problems);
        EventFilter filter = body.get("filter") == null ? null : filter(body.get("filter"), problems);
        RetrySchedule retrySchedule = body.get("retrySchedule") == null ? null
                : RetryScheduleLimits.validate(body.get("retrySchedule"), problems);
        if (!problems.isEmpty()) {
            throw new ValidationException(summary(problems), problems);
        }
        boolean clearDescription = body.containsKey("description") && body.get("description") == null;
        boolean clearRateLimit = body.containsKey("rateLimit") && body.get("rateLimit") == null;
        boolean clearFilter = body.containsKey("filter") && body.get("filter") == null;
        boolean clearRetrySchedule = body.containsKey("retrySchedule") && body.get("retrySchedule") == null;
        return new WebhookChanges(url, events, description, clearDescription, enabled, headers, rateLimit, clearRateLimit,
                filter, clearFilter, retrySchedule, clearRetrySchedule, signing, null);
    }

    /** The compiled filter; a broken one is reported under its own path, e.g. {@code filter.$or[1].data.n.$gt}. */
    private static EventFilter filter(Object value, List<Map<String, Object>> problems) {
        try {
            return EventFilter.parse(value, "filter");
        } catch (InvalidFilterException e) {
            problems.add(problem(e.path(), e.getMessage()));
            return null;
        }
    }

    /** The signing mode named; on create, absent means {@code hmac}. */
    private static SigningMode signing(Map<String, Object> body, boolean creating, List<Map<String, Object>> problems) {
        if (!body.containsKey("signing")) {
            return creating ? SigningMode.HMAC : null;
        }
        Object value = body.get("signing");
        SigningMode mode = value instanceof String s ? SigningMode.fromWire(s).orElse(null) : null;
        if (mode == null) {
            problems.add(problem("signing", "must be one of " + String.join(", ", SigningMode.wireNames())));
        }
        return mode;
    }

    /** Deliveries per second, a whole number; JSON null (or absent) is no limit. */
    private static Integer rateLimit(Object value, List<Map<String, Object>> problems) {
        if (value == null) {
            return null;
        }
        Long n = wholeNumber(value, 1, RequestLimits.RATE_LIMIT_MAX);
        if (n == null) {
            problems.add(problem("rateLimit", "must be a whole number of deliveries per second from 1 to "
                    + RequestLimits.RATE_LIMIT_MAX + ", or null for no limit"));
            return null;
        }
        return n.intValue();
    }

    /** {@code value} if it is a JSON whole number from min to max, else null. */
    static Long wholeNumber(Object value, long min, long max) {
        // The parser gives Integer or Long for whole numbers, BigInteger beyond a long, Double for 20.0 or 1e3.
        if (!(value instanceof Integer || value instanceof Long)) {
            return null;
        }
        long n = ((Number) value).longValue();
        return n < min || n > max ? null : n;
    }

    private String url(Object value, boolean present, List<Map<String, Object>> problems) {
        if (!present) {
            problems.add(problem("url", "is required"));
            return null;
        }
        if (!(value instanceof String s)) {
            problems.add(problem("url", "must be a string"));
            return null;
        }
        if (s.length() > RequestLimits.URL_CHARS) {
            problems.add(problem("url", "must be at most " + RequestLimits.URL_CHARS + " characters"));
            return null;
        }
        if (hasControlCharacters(s, false) || hasLoneSurrogate(s)) {
            // A lone surrogate is no text at all: it cannot be stored, sent or shown.
            problems.add(problem("url", "must not contain control characters or spaces"));
            return null;
        }
        guard.validate(s).ifPresent(message -> problems.add(problem("url", message)));
        return s;
    }

    private List<String> events(Object value, boolean present, List<Map<String, Object>> problems) {
        if (!present) {
            problems.add(problem("events", "is required: a list of event types, or \"*\""));
            return null;
        }
        if (Webhook.ALL_EVENTS.equals(value)) {
            return List.of(Webhook.ALL_EVENTS);
        }
        if (!(value instanceof List<?> list)) {
            problems.add(problem("events", "must be a list of event types, or \"*\""));
            return null;
        }
        if (list.isEmpty() || list.size() > RequestLimits.EVENTS) {
            problems.add(problem("events", "must name 1 to " + RequestLimits.EVENTS + " event types"));
            return null;
        }
        Set<String> seen = new LinkedHashSet<>();
        List<String> unknown = new ArrayList<>();
        for (Object item : list) {
            if (!(item instanceof String name)) {
                problems.add(problem("events", "every event type must be a string"));
                return null;
            }
            if (!seen.add(name)) {
                problems.add(problem("events", "lists " + printable(name) + " more than once"));
                return null;
            }
            if (!name.equals(Webhook.ALL_EVENTS) && !catalog.contains(name)) {
                unknown.add(printable(name));
            }
        }
        if (!unknown.isEmpty()) {
            Map<String, Object> p = problem("events", "unknown event type(s) " + String.join(", ", unknown)
                    + "; the catalog is: " + String.join(", ", catalog.names()));
            p.put("allowed", catalog.names());
            problems.add(p);
            return null;
        }
        if (seen.contains(Webhook.ALL_EVENTS) && seen.size() > 1) {
            problems.add(problem("events", "\"*\" already means every event type; send it alone"));
            return null;
        }
        return List.copyOf(seen);
    }

    private String description(Object value, List<Map<String, Object>> problems) {
        if (value == null) {
            return null;
        }
        if (!(value instanceof String s)) {
            problems.add(problem("description", "must be a string or null"));
            return null;
        }
        if (s.length() > RequestLimits.DESCRIPTION_CHARS) {
            problems.add(problem("description", "must be at most " + RequestLimits.DESCRIPTION_CHARS + " characters"));
            return null;
        }
        if (hasControlCharacters(s, true) || hasLoneSurrogate(s)) {
            problems.add(problem("description", "must be plain text without control characters"));
            return null;
        }
        return s;
    }

    private static boolean hasControlCharacters(String s, boolean allowWhitespace) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean whitespace = c == '\n' || c == '\r' || c == '\t';
            if ((Character.isISOControl(c) && !(allowWhitespace && whitespace)) || (!allowWhitespace && c == ' ')) {
                return true;
            }
            if (c == '\u2028' || c == '\u2029' || c == '\uFEFF' || (c >= '\u202A' && c <= '\u202E')
                    || (c >= '\u2066' && c <= '\u2069')) {
                return true; // invisible direction overrides and separators hide what a description says
            }
        }
        return false;
    }

    private static boolean hasLoneSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return true;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    public static Map<String, Object> problem(String field, String message) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("field", field);
        p.put("message", message);
        return p;
    }

    public static String summary(List<Map<String, Object>> problems) {
        Map<String, Object> first = problems.get(0);
        String text = first.get("field") + " " + first.get("message");
        return problems.size() == 1 ? text : text + " (and " + (problems.size() - 1) + " more problem(s))";
    }
}
