package com.astra.webhooks.model;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Which signatures a webhook's deliveries carry (DESIGN.md "Signatures"): {@code v1} (HMAC with
 * the shared secret), {@code v1a} (Ed25519 with the service's private key), or both, for
 * receivers moving from one to the other.
 */
public enum SigningMode {
    HMAC("hmac"), ED25519("ed25519"), BOTH("both");

    private final String wire;

    SigningMode(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public boolean usesHmac() {
        return this != ED25519;
    }

    public boolean usesEd25519() {
        return this != HMAC;
    }

    public static Optional<SigningMode> fromWire(String wire) {
        return Arrays.stream(values()).filter(m -> m.wire.equals(wire)).findFirst();
    }

    public static List<String> wireNames() {
        return Arrays.stream(values()).map(SigningMode::wire).toList();
    }
}
