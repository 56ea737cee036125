package com.astra.webhooks.model;

import com.astra.webhooks.core.RequestLimits;
import java.util.regex.Pattern;

/**
 * An event's {@code orderingKey}: the events with the same tenant and key reach each webhook in
 * the order the FIFO events queue accepted them. It is the queue's MessageGroupId, so it follows
 * SQS's rule for one: 1-128 printable ASCII characters.
 */
public final class OrderingKey {
    private OrderingKey() {}

    /** The header an ordered delivery carries the key in; records keep it among their request headers. */
    public static final String HEADER = "webhook-ordering-key";

    public static final String RULE = "1-" + RequestLimits.ORDERING_KEY_CHARS + " printable ASCII characters";
    private static final Pattern VALID = Pattern.compile("[\\x21-\\x7E]{1," + RequestLimits.ORDERING_KEY_CHARS + "}");

    public static boolean isValid(String key) {
        return key != null && VALID.matcher(key).matches();
    }
}
