package com.astra.webhooks.webhook;

import java.util.List;
import java.util.Map;

/** Input that breaks a rule of the contract; {@code details} names each field and what is wrong with it. */
public class ValidationException extends RuntimeException {

    private final List<Map<String, Object>> details;

    public ValidationException(String message, List<Map<String, Object>> details) {
        super(message);
        this.details = List.copyOf(details);
    }

    public List<Map<String, Object>> details() {
        return details;
    }
}
