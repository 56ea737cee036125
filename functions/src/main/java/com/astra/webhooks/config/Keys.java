package com.astra.webhooks.config;

import java.util.Set;

/** Names of the settings, shared by the Lambdas, the SAM template and the local runner. */
public final class Keys {
    private Keys() {}

    public static final String TABLE_NAME = "TABLE_NAME";
    public static final String EVENTS_QUEUE_URL = "EVENTS_QUEUE_URL";
    public static final String DLQ_URL = "DLQ_URL";
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
    public static final String AWS_REGION = "AWS_REGION";
    public static final String AWS_ENDPOINT_URL_DYNAMODB = "AWS_ENDPOINT_URL_DYNAMODB";
    public static final String AWS_ENDPOINT_URL_SQS = "AWS_ENDPOINT_URL_SQS";

    public static final Set<String> ALL = Set.of(TABLE_NAME, EVENTS_QUEUE_URL, DLQ_URL, JWT_SECRET, JWT_SECRET_ARN, JWKS_URL,
            JWT_ISSUER, JWT_AUDIENCE, TENANT_CLAIM, EVENT_TYPES, RETRY_SCHEDULE, DELIVERY_TIMEOUT_MS,
            ALLOW_PRIVATE_TARGETS, REQUIRE_HTTPS, RETENTION_DAYS, MAX_CONCURRENCY, AWS_REGION,
            AWS_ENDPOINT_URL_DYNAMODB, AWS_ENDPOINT_URL_SQS);
}
