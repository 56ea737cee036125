package com.astra.webhooks.config;

import com.astra.webhooks.core.Durations;
import com.astra.webhooks.core.retry.RetrySchedule;
import com.astra.webhooks.model.EventTypeCatalog;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Every setting of the service, read once per container and checked strictly: a value that is
 * not exactly what a setting accepts stops the function (or the local runner) at start with a
 * {@link SettingsException} naming the variable and the accepted values. A security switch
 * spelled {@code ture} is never a silent {@code false}. Names, defaults, ranges and accepted
 * values come from {@link SettingSpecs}; this record is their typed, parsed form.
 *
 * <p>Unset and blank mean the same (SAM passes empty strings for optional parameters). String
 * settings that may be absent are null.
 */
public record Settings(
        String tableName,
        String eventsQueueUrl,
        String dlqUrl,
        String jwtSecret,
        String jwtSecretArn,
        String jwksUrl,
        String jwtIssuer,
        String jwtAudience,
        String tenantClaim,
        EventTypeCatalog eventTypes,
        RetrySchedule retrySchedule,
        Duration deliveryTimeout,
        boolean allowPrivateTargets,
        boolean requireHttps,
        Duration retention,
        int deliveryThreads,
        String awsRegion,
        URI dynamoDbEndpoint,
        URI sqsEndpoint,
        boolean awsCredentialsConfigured,
        Duration disableAfter,
        List<String> consoleFrameAncestors,
        String slowQueueUrl,
        Duration slowAfter) {

    public static final String TABLE_NAME = SettingSpecs.TABLE_NAME.name();
    public static final String EVENTS_QUEUE_URL = SettingSpecs.EVENTS_QUEUE_URL.name();
    public static final String DLQ_URL = SettingSpecs.DLQ_URL.name();
    public static final String SLOW_QUEUE_URL = SettingSpecs.SLOW_QUEUE_URL.name();
    public static final String ORDERED_QUEUE_URL = SettingSpecs.ORDERED_QUEUE_URL.name();
    public static final String EVENTS_FIFO_DLQ_URL = SettingSpecs.EVENTS_FIFO_DLQ_URL.name();
    public static final String SLOW_AFTER_MS = SettingSpecs.SLOW_AFTER_MS.name();
    public static final String JWT_SECRET = SettingSpecs.JWT_SECRET.name();
    public static final String JWT_SECRET_ARN = SettingSpecs.JWT_SECRET_ARN.name();
    public static final String JWKS_URL = SettingSpecs.JWKS_URL.name();
    public static final String JWT_ISSUER = SettingSpecs.JWT_ISSUER.name();
    public static final String JWT_AUDIENCE = SettingSpecs.JWT_AUDIENCE.name();
    public static final String TENANT_CLAIM = SettingSpecs.TENANT_CLAIM.name();
    public static final String EVENT_TYPES = SettingSpecs.EVENT_TYPES.name();
    public static final String RETRY_SCHEDULE = SettingSpecs.RETRY_SCHEDULE.name();
    public static final String DELIVERY_TIMEOUT_MS = SettingSpecs.DELIVERY_TIMEOUT_MS.name();
    public static final String ALLOW_PRIVATE_TARGETS = SettingSpecs.ALLOW_PRIVATE_TARGETS.name();
    public static final String REQUIRE_HTTPS = SettingSpecs.REQUIRE_HTTPS.name();
    public static final String RETENTION_DAYS = SettingSpecs.RETENTION_DAYS.name();
    public static final String MAX_CONCURRENCY = SettingSpecs.MAX_CONCURRENCY.name();
    public static final String DISABLE_AFTER = SettingSpecs.DISABLE_AFTER.name();
    public static final String CONSOLE_FRAME_ANCESTORS = SettingSpecs.CONSOLE_FRAME_ANCESTORS.name();
    public static final String AWS_REGION = SettingSpecs.AWS_REGION.name();
    public static final String AWS_ENDPOINT_URL_DYNAMODB = SettingSpecs.AWS_ENDPOINT_URL_DYNAMODB.name();
    public static final String AWS_ENDPOINT_URL_SQS = SettingSpecs.AWS_ENDPOINT_URL_SQS.name();

    /** The names the service reads (the local runner takes these from its own environment). */
    public static final Set<String> NAMES = SettingSpecs.BY_NAME.keySet();

    /** Variables the AWS SDK reads for itself; their presence means real credentials are configured. */
    public static final List<String> CREDENTIAL_HINTS = List.of("AWS_ACCESS_KEY_ID", "AWS_PROFILE",
            "AWS_CONTAINER_CREDENTIALS_FULL_URI");

    public static final int DEFAULT_DELIVERY_TIMEOUT_MS = Integer.parseInt(SettingSpecs.DELIVERY_TIMEOUT_MS.fallback());
    public static final int DEFAULT_DELIVERY_THREADS = Integer.parseInt(SettingSpecs.MAX_CONCURRENCY.fallback());

    /** Lambda's environment: the process environment (see {@link LambdaEnvironment} for the local runner). */
    public static Settings fromEnvironment() {
        return parse(LambdaEnvironment.variables());
    }

    /** @throws SettingsException for the first value that is not acceptable */
    public static Settings parse(Map<String, String> values) {
        Reader r = new Reader(values);
        return new Settings(
                r.text(SettingSpecs.TABLE_NAME),
                r.text(SettingSpecs.EVENTS_QUEUE_URL),
                r.text(SettingSpecs.DLQ_URL),
                r.text(SettingSpecs.JWT_SECRET),
                r.text(SettingSpecs.JWT_SECRET_ARN),
                r.text(SettingSpecs.JWKS_URL),
                r.text(SettingSpecs.JWT_ISSUER),
                r.text(SettingSpecs.JWT_AUDIENCE),
                r.text(SettingSpecs.TENANT_CLAIM),
                EventTypeCatalog.parse(r.text(SettingSpecs.EVENT_TYPES)),
                r.parsed(SettingSpecs.RETRY_SCHEDULE, RetrySchedule::parse),
                Duration.ofMillis(r.integer(SettingSpecs.DELIVERY_TIMEOUT_MS)),
                r.bool(SettingSpecs.ALLOW_PRIVATE_TARGETS),
                r.bool(SettingSpecs.REQUIRE_HTTPS),
                Duration.ofDays(r.integer(SettingSpecs.RETENTION_DAYS)),
                r.integer(SettingSpecs.MAX_CONCURRENCY),
                r.text(SettingSpecs.AWS_REGION),
                r.endpoint(SettingSpecs.AWS_ENDPOINT_URL_DYNAMODB),
                r.endpoint(SettingSpecs.AWS_ENDPOINT_URL_SQS),
                CREDENTIAL_HINTS.stream().anyMatch(name -> r.raw(name) != null),
                r.parsed(SettingSpecs.DISABLE_AFTER,
                        v -> Durations.parse(v).filter(d -> !d.isZero()).orElseThrow(IllegalArgumentException::new)),
                r.parsed(SettingSpecs.CONSOLE_FRAME_ANCESTORS, FrameAncestors::parse, List.of()),
                r.text(SettingSpecs.SLOW_QUEUE_URL),
                Duration.ofMillis(r.integer(SettingSpecs.SLOW_AFTER_MS)));
    }

    /** Settings a function cannot work without (the table, the queues) are checked by the part that needs them. */
    public static String require(String name, String value) {
        if (value == null) {
            throw new SettingsException(name + " is not set");
        }
        return value;
    }

    /** Reads each setting as its {@link SettingSpec} says: unset or blank is the spec's fallback. */
    private record Reader(Map<String, String> values) {

        String raw(String name) {
            String v = values.get(name);
            return v == null || v.isBlank() ? null : v.strip();
        }

        /** The value, else the fallback (null when the spec has none). */
        String text(SettingSpec spec) {
            String v = raw(spec.name());
            return v == null ? spec.fallback() : v;
        }

        boolean bool(SettingSpec spec) {
            String v = text(spec);
            return switch (v) {
                case "true" -> true;
                case "false" -> false;
                default -> throw invalid(spec.name(), v, spec.accepts());
            };
        }

        int integer(SettingSpec spec) {
            String v = text(spec);
            SettingSpec.Range range = spec.range();
            if (v.length() > 10 || !v.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw invalid(spec.name(), v, spec.accepts());
            }
            long n = Long.parseLong(v);
            if (n < range.min() || n > range.max()) {
                throw invalid(spec.name(), v, spec.accepts());
            }
            return (int) n;
        }

        /** A setting with a fallback: that fallback goes through the same parser. */
        <T> T parsed(SettingSpec spec, Function<String, T> parser) {
            return parsed(spec, parser, null);
        }

        /** {@code none} for a setting without a fallback that is unset. */
        <T> T parsed(SettingSpec spec, Function<String, T> parser, T none) {
            String v = text(spec);
            if (v == null) {
                return none;
            }
            try {
                return parser.apply(v);
            } catch (IllegalArgumentException e) {
                throw invalid(spec.name(), v, spec.accepts());
            }
        }

        URI endpoint(SettingSpec spec) {
            String v = text(spec);
            if (v == null) {
                return null;
            }
            try {
                URI uri = new URI(v);
                String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
                if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
                    return uri;
                }
            } catch (URISyntaxException e) {
                // reported below
            }
            throw invalid(spec.name(), v, spec.accepts());
        }

        private static SettingsException invalid(String name, String value, String accepted) {
            String shown = value.length() > 64 ? value.substring(0, 64) + "…" : value;
            return new SettingsException(name + "=" + shown.replaceAll("\\p{Cntrl}", "?") + " is not valid; expected "
                    + accepted);
        }
    }
}
