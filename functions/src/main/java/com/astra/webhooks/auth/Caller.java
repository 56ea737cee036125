package com.astra.webhooks.auth;

import java.time.Instant;
import java.util.Set;

/**
 * Who a request acts for, and how far: the tenant, whether it may write, and which of the
 * tenant's webhooks it may see. A platform token is the whole tenant with every right; a portal
 * link token (see {@link PortalLinks}) may be narrower on both counts, never wider.
 *
 * @param webhookIds null: every webhook of the tenant; otherwise only these
 * @param expiresAt  when the token stops working; null when it does not say
 */
public record Caller(String tenant, Scope scope, Set<String> webhookIds, Instant expiresAt) {

    /** What a token may do: {@code read} answers only GET routes; {@code manage} everything. */
    public enum Scope {
        READ, MANAGE;

        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        /** Null for anything but the two wire names. */
        public static Scope of(String wire) {
            for (Scope s : values()) {
                if (s.wire().equals(wire)) {
                    return s;
                }
            }
            return null;
        }
    }

    public Caller {
        webhookIds = webhookIds == null ? null : Set.copyOf(webhookIds);
    }

    /** A platform token: the whole tenant, every right. */
    public static Caller platform(String tenant, Instant expiresAt) {
        return new Caller(tenant, Scope.MANAGE, null, expiresAt);
    }

    public boolean mayWrite() {
        return scope == Scope.MANAGE;
    }

    /** True when the caller sees only some of the tenant's webhooks. */
    public boolean restricted() {
        return webhookIds != null;
    }

    public boolean sees(String webhookId) {
        return webhookIds == null || webhookIds.contains(webhookId);
    }
}
