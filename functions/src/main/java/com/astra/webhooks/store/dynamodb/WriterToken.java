package com.astra.webhooks.store.dynamodb;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * A token one conditional write puts in its item, so that when the write's answer is lost and
 * the SDK's retry fails the condition, the item it finds tells "my own earlier try was applied"
 * from "another writer's". 64 random bits, 11 characters: a few bytes on the item.
 */
final class WriterToken {
    private WriterToken() {}

    static String next() {
        byte[] bytes = new byte[8];
        // A fresh instance, not a static one: a SnapStart snapshot would hand every restored
        // container the same state, and tokens that repeat across containers tell nothing.
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
