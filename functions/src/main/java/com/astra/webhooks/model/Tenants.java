package com.astra.webhooks.model;

import com.astra.webhooks.core.RequestLimits;

/**
 * The one rule for a tenant id, whether it comes from a token, an agent's message or the token
 * command. Tenants become part of DynamoDB keys that use '#' as a separator, so a tenant
 * containing '#' could forge another tenant's key prefix; control characters would end up in
 * logs and keys; a lone surrogate cannot be stored at all.
 */
public final class Tenants {
    private Tenants() {}

    /** The rule in words, for error messages. */
    public static final String RULE = "1-" + RequestLimits.TENANT_CHARS + " characters, no '#', no control characters and no lone surrogates";

    public static boolean isValid(String tenant) {
        if (tenant == null || tenant.isBlank() || tenant.length() > RequestLimits.TENANT_CHARS) {
            return false;
        }
        for (int i = 0; i < tenant.length(); i++) {
            char c = tenant.charAt(i);
            if (c == '#' || Character.isISOControl(c)) {
                return false;
            }
            // Half a surrogate pair is no character: DynamoDB refuses to store it (a
            // SerializationException), so such a tenant could never have data.
            if (Character.isHighSurrogate(c) && i + 1 < tenant.length() && Character.isLowSurrogate(tenant.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }
}
