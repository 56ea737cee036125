package com.astra.webhooks.auth;

/**
 * Rules for a tenant id taken from a token. Tenants become part of DynamoDB keys that use '#'
 * as a separator, so a tenant containing '#' could forge another tenant's key prefix; control
 * characters would end up in logs and keys.
 */
final class Tenants {
    private Tenants() {}

    static final int MAX_LENGTH = 256;

    static boolean isValid(String tenant) {
        if (tenant == null || tenant.isBlank() || tenant.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < tenant.length(); i++) {
            char c = tenant.charAt(i);
            if (c == '#' || Character.isISOControl(c)) {
                return false;
            }
        }
        return true;
    }
}
