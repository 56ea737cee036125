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
 * spelled {@code ture} is never a silent {@code false}. Every default lives here.
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
        int maxConcurrency,
        String awsRegion,
        URI dynamoDbEndpoint,
        URI sqsEndpoint,
        boolean awsCredentialsConfigured,
        Duration disableAfter,
        List<String> consoleFrameAncestors,
        String slowQueueUrl,
        Duration slowAfter) {

    public static final String TABLE_NAME = "TABLE_NAME";
    public static final String EVENTS_QUEUE_URL = "EVENTS_QUEUE_URL";
    public static final String DLQ_URL = "DLQ_URL";
    /** The slow lane's queue (DESIGN.md "Isolation"); unset, every delivery stays on the events queue. */
    public static final String SLOW_QUEUE_URL = "SLOW_QUEUE_URL";
    /** How long a fast-lane POST may run before it goes to the slow lane; 0 turns the slow lane off. */
    public static final String SLOW_AFTER_MS = "SLOW_AFTER_MS";
    /** The ordered stage's FIFO queue (docs/ordered-delivery.md); unset, the dispatcher takes no FIFO messages. */
    public static final String ORDERED_QUEUE_URL = "ORDERED_QUEUE_URL";
    /** Where poison messages of the FIFO events queue go. */
    public static final String EVENTS_FIFO_DLQ_URL = "EVENTS_FIFO_DLQ_URL";
    public static final int DEFAULT_SLOW_AFTER_MS = 1000;
    public static final String JWT_SECRET = "JWT_SECRET";
    /** On AWS: the Secrets Manager secret holding the HS256 secret (the template never puts it in the environment). */
    public static final String JWT_SECRET_ARN = "JWT_SECRET_ARN";
    public static final String JWKS_URL = "JWKS_URL";
    public static final String JWT_ISSUER = "JWT_ISSUER";
    public static final String JWT_AUDIENCE = "JWT_AUDIENCE";
    public static final String TENANT_CLAIM = "TENANT_CLAIM";
    public static final String EVENT_TYPES = "EVENT_TYPES";
    public static final String RETRY_SCHEDULE = "RETRY_SCHEDULE";
    public static final String DELIVERY_TIMEOUT_MS = "DELIVERY_TIMEOUT_MS";
    public static final String ALLOW_PRIVATE_TARGETS = "ALLOW_PRIVATE_TARGETS";
    public static final String REQUIRE_HTTPS = "REQUIRE_HTTPS";
    public static final String RETENTION_DAYS = "RETENTION_DAYS";
    public static final String MAX_CONCURRENCY = "MAX_CONCURRENCY";
    /** How long a webhook may fail without a single success (and at least 3 final failures) before it is disabled. */
    public static final String DISABLE_AFTER = "DISABLE_AFTER";
    public static final Duration DEFAULT_DISABLE_AFTER = Duration.ofDays(5);
    /** Origins allowed to frame the console (CSP frame-ancestors); none by default. */
    public static final String CONSOLE_FRAME_ANCESTORS = "CONSOLE_FRAME_ANCESTORS";
    public static final String AWS_REGION = "AWS_REGION";
    public static final String AWS_ENDPOINT_URL_DYNAMODB = "AWS_ENDPOINT_URL_DYNAMODB";
    public static final String AWS_ENDPOINT_URL_SQS = "AWS_ENDPOINT_URL_SQS";

    /** The names the service reads (the local runner takes these from its own environment). */
    public static final Set<String> NAMES = Set.of(TABLE_NAME, EVENTS_QUEUE_URL, DLQ_URL, SLOW_QUEUE_URL, SLOW_AFTER_MS, ORDERED_QUEUE_URL, EVENTS_FIFO_DLQ_URL, JWT_SECRET, JWT_SECRET_ARN, JWKS_URL,
            JWT_ISSUER, JWT_AUDIENCE, TENANT_CLAIM, EVENT_TYPES, RETRY_SCHEDULE, DELIVERY_TIMEOUT_MS,
            ALLOW_PRIVATE_TARGETS, REQUIRE_HTTPS, RETENTION_DAYS, MAX_CONCURRENCY, DISABLE_AFTER, CONSOLE_FRAME_ANCESTORS, AWS_REGION,
            AWS_ENDPOINT_URL_DYNAMODB, AWS_ENDPOINT_URL_SQS);

    /** Variables the AWS SDK reads for itself; their presence means real credentials are configured. */
    public static final List<String> CREDENTIAL_HINTS = List.of("AWS_ACCESS_KEY_ID", "AWS_PROFILE",
            "AWS_CONTAINER_CREDENTIALS_FULL_URI");

    public static final int DEFAULT_DELIVERY_TIMEOUT_MS = 10_000;
    /** Lambda's own maximum run time: no single attempt can be allowed longer. */
    public static final int MAX_DELIVERY_TIMEOUT_MS = 900_000;
    public static final int DEFAULT_RETENTION_DAYS = 30;
    public static final int MAX_RETENTION_DAYS = 3650;
    public static final int DEFAULT_MAX_CONCURRENCY = 64;
    public static final int MAX_MAX_CONCURRENCY = 1024;
    public static final String DEFAULT_REGION = "us-east-1";

    /** Lambda's environment: the process environment (see {@link LambdaEnvironment} for the local runner). */
    public static Settings fromEnvironment() {
        return parse(LambdaEnvironment.variables());
    }

    /** @throws SettingsException for the first value that is not acceptable */
    public static Settings parse(Map<String, String> values) {
        Reader r = new Reader(values);
        return new Settings(
                r.text(TABLE_NAME),
                r.text(EVENTS_QUEUE_URL),
                r.text(DLQ_URL),
                r.text(JWT_SECRET),
                r.text(JWT_SECRET_ARN),
                r.text(JWKS_URL),
                r.text(JWT_ISSUER),
                r.text(JWT_AUDIENCE),
                r.text(TENANT_CLAIM),
                EventTypeCatalog.parse(r.text(EVENT_TYPES)),
                r.parsed(RETRY_SCHEDULE, RetrySchedule.defaultSchedule(), RetrySchedule::parse,
                        "comma-separated delays, each " + Durations.ACCEPTED),
                Duration.ofMillis(r.integer(DELIVERY_TIMEOUT_MS, DEFAULT_DELIVERY_TIMEOUT_MS, 1,
                        MAX_DELIVERY_TIMEOUT_MS, "milliseconds")),
                r.bool(ALLOW_PRIVATE_TARGETS, false),
                r.bool(REQUIRE_HTTPS, true),
                Duration.ofDays(r.integer(RETENTION_DAYS, DEFAULT_RETENTION_DAYS, 1, MAX_RETENTION_DAYS, "days")),
                r.integer(MAX_CONCURRENCY, DEFAULT_MAX_CONCURRENCY, 1, MAX_MAX_CONCURRENCY, "threads"),
                r.text(AWS_REGION) == null ? DEFAULT_REGION : r.text(AWS_REGION),
                r.endpoint(AWS_ENDPOINT_URL_DYNAMODB),
                r.endpoint(AWS_ENDPOINT_URL_SQS),
                CREDENTIAL_HINTS.stream().anyMatch(name -> r.text(name) != null),
                r.parsed(DISABLE_AFTER, DEFAULT_DISABLE_AFTER,
                        v -> Durations.parse(v).filter(d -> !d.isZero()).orElseThrow(IllegalArgumentException::new),
                        "a duration above zero, " + Durations.ACCEPTED + ", e.g. 5d"),
                r.parsed(CONSOLE_FRAME_ANCESTORS, List.of(), FrameAncestors::parse, FrameAncestors.ACCEPTED),
                r.text(SLOW_QUEUE_URL),
                Duration.ofMillis(r.integer(SLOW_AFTER_MS, DEFAULT_SLOW_AFTER_MS, 0, MAX_DELIVERY_TIMEOUT_MS, "milliseconds")));
    }

    /** Settings a function cannot work without (the table, the queues) are checked by the part that needs them. */
    public static String require(String name, String value) {
        if (value == null) {
            throw new SettingsException(name + " is not set");
        }
        return value;
    }

    private record Reader(Map<String, String> values) {

        String text(String name) {
            String v = values.get(name);
            return v == null || v.isBlank() ? null : v.strip();
        }

        boolean bool(String name, boolean fallback) {
            String v = text(name);
            if (v == null) {
                return fallback;
            }
            return switch (v) {
                case "true" -> true;
                case "false" -> false;
                default -> throw invalid(name, v, "true or false");
            };
        }

        int integer(String name, int fallback, int min, int max, String unit) {
            String v = text(name);
            if (v == null) {
                return fallback;
            }
            String accepted = "a whole number of " + unit + " from " + min + " to " + max;
            if (v.length() > 10 || !v.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw invalid(name, v, accepted);
            }
            long n = Long.parseLong(v);
            if (n < min || n > max) {
                throw invalid(name, v, accepted);
            }
            return (int) n;
        }

        <T> T parsed(String name, T fallback, Function<String, T> parser, String accepted) {
            String v = text(name);
            if (v == null) {
                return fallback;
            }
            try {
                return parser.apply(v);
            } catch (IllegalArgumentException e) {
                throw invalid(name, v, accepted);
            }
        }

        URI endpoint(String name) {
            String v = text(name);
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
            throw invalid(name, v, "an http(s) URL such as http://127.0.0.1:8000");
        }

        private static SettingsException invalid(String name, String value, String accepted) {
            String shown = value.length() > 64 ? value.substring(0, 64) + "…" : value;
            return new SettingsException(name + "=" + shown.replaceAll("\\p{Cntrl}", "?") + " is not valid; expected "
                    + accepted);
        }
    }
}
