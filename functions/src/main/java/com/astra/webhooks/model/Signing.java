package com.astra.webhooks.model;

import com.astra.webhooks.core.signing.Ed25519KeyPair;
import java.time.Instant;

/**
 * How a webhook signs and with which Ed25519 keys, besides its HMAC secret (which every webhook
 * keeps, so a switch back to {@code hmac} needs no new secret). {@code key} is present exactly
 * when the mode uses Ed25519; {@code previousKey} only during a rotation's grace, which ends at
 * the webhook's {@code previousSecretExpiresAt} like the previous secret's. The {@code …From}
 * instants say since when each key signs (null: since the webhook was created), for the
 * signing-keys route.
 */
public record Signing(
        SigningMode mode,
        Ed25519KeyPair key,
        Instant keyFrom,
        Ed25519KeyPair previousKey,
        Instant previousKeyFrom,
        Instant secretFrom,
        Instant previousSecretFrom) {

    /** A webhook signing with its HMAC secret alone, as every webhook did before there was a choice. */
    public static final Signing HMAC = new Signing(SigningMode.HMAC, null, null, null, null, null, null);

    /** A new webhook's signing: with an Ed25519 mode, {@code key} is its first key pair. */
    public static Signing of(SigningMode mode, Ed25519KeyPair key) {
        return mode.usesEd25519() ? new Signing(mode, key, null, null, null, null, null) : HMAC;
    }

    /** This signing once a rotation's grace is over: no previous key, no previous secret's start. */
    public Signing withoutPrevious() {
        return new Signing(mode, key, keyFrom, null, null, secretFrom, null);
    }

    /** The public key receivers verify {@code v1a} with, null when the mode does not use Ed25519. */
    public String publicKey() {
        return mode.usesEd25519() && key != null ? key.publicKey() : null;
    }
}
