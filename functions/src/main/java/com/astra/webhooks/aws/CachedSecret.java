package com.astra.webhooks.aws;

import com.astra.webhooks.config.Settings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * A secret's current value, fetched on first use and again once it is {@link #TTL} old, so that
 * a rotation ({@code aws secretsmanager put-secret-value}) is in use within minutes, without a
 * deploy. The age is wall-clock time, and the cache is emptied before a SnapStart snapshot: the
 * secret is never part of a snapshot, and a restored sandbox fetches it on its first request.
 * A failed fetch fails that request (fail closed); the next request tries again.
 */
public final class CachedSecret implements Supplier<String>, Resource {

    static final Duration TTL = Duration.ofMinutes(5);

    private record Value(String secret, Instant fetchedAt) {}

    private final Supplier<String> fetch;
    private final Clock clock;
    private volatile Value value;

    CachedSecret(Supplier<String> fetch, Clock clock) {
        this.fetch = fetch;
        this.clock = clock;
    }

    /** The SecretString of {@code secretId} (name or ARN); registered with CRaC, which holds it weakly. */
    public static CachedSecret secretsManager(Settings settings, String secretId) {
        SecretsManagerClient client = AwsClients.secretsManager(settings);
        CachedSecret secret = new CachedSecret(
                () -> client.getSecretValue(b -> b.secretId(secretId)).secretString(), Clock.systemUTC());
        Core.getGlobalContext().register(secret);
        return secret;
    }

    /** Any fetched secret (e.g. a key the service keeps in its table), cached and kept out of snapshots alike. */
    public static CachedSecret of(Supplier<String> fetch) {
        CachedSecret secret = new CachedSecret(fetch, Clock.systemUTC());
        Core.getGlobalContext().register(secret);
        return secret;
    }

    @Override
    public String get() {
        Value v = value;
        Instant now = clock.instant();
        if (v != null && now.isBefore(v.fetchedAt().plus(TTL))) {
            return v.secret();
        }
        synchronized (this) {
            v = value;
            if (v == null || !now.isBefore(v.fetchedAt().plus(TTL))) {
                v = new Value(fetch.get(), now);
                value = v;
            }
            return v.secret();
        }
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        value = null;
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        // fetched again on first use
    }
}
