package com.astra.webhooks.config;

/** A setting with a value we will not guess about; the message is one line naming it and what is accepted. */
public final class SettingsException extends IllegalStateException {
    public SettingsException(String message) {
        super(message);
    }
}
