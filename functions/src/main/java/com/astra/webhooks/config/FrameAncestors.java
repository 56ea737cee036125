package com.astra.webhooks.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * {@code CONSOLE_FRAME_ANCESTORS}: the origins that may frame the console (CSP
 * {@code frame-ancestors}), comma-separated, e.g. {@code https://app.example.com,https://*.example.com}.
 * Only origins: a scheme, a host (its leftmost label may be {@code *}) and an optional port. No
 * bare {@code *}, no other scheme, no path and no CSP keyword, so the setting cannot smuggle
 * another directive into the policy or open the console to every site.
 */
final class FrameAncestors {
    private FrameAncestors() {}

    static final int MAX = 10;
    private static final Pattern ORIGIN = Pattern.compile(
            "https?://(\\*\\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:[0-9]{1,5})?");

    static final String ACCEPTED = "comma-separated origins such as https://app.example.com or https://*.example.com"
            + " (at most " + MAX + ")";

    /** @throws IllegalArgumentException for anything that is not a list of origins */
    static List<String> parse(String value) {
        List<String> origins = new ArrayList<>();
        for (String part : value.split(",", -1)) {
            String origin = part.strip().toLowerCase(Locale.ROOT);
            if (!ORIGIN.matcher(origin).matches()) {
                throw new IllegalArgumentException(origin);
            }
            if (!origins.contains(origin)) {
                origins.add(origin);
            }
        }
        if (origins.size() > MAX) {
            throw new IllegalArgumentException("too many");
        }
        return List.copyOf(origins);
    }
}
