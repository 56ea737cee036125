package com.astra.webhooks.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * openapi.yaml states every bound of {@link RequestLimits} that a schema can say (maxLength,
 * maximum, maxItems, defaults) or its prose names: change one side without the other and this
 * fails, naming the place in the document.
 */
class RequestLimitsTest {

    private static Map<String, Object> doc;

    @BeforeAll
    static void readTheContract() throws IOException {
        try (InputStream in = RequestLimitsTest.class.getResourceAsStream("/openapi.yaml")) {
            assertNotNull(in, "openapi.yaml is on the classpath (functions/pom.xml copies it into the jar)");
            doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
        }
    }

    @Test
    void webhookFieldsHaveTheValidatorsBounds() {
        for (String schema : List.of("WebhookCreate", "WebhookUpdate")) {
            String p = "components.schemas." + schema + ".properties.";
            assertEquals(RequestLimits.URL_CHARS, number(p + "url.maxLength"));
            assertEquals(RequestLimits.DESCRIPTION_CHARS, number(p + "description.maxLength"));
            assertEquals(1, number(p + "rateLimit.minimum"));
            assertEquals(RequestLimits.RATE_LIMIT_MAX, number(p + "rateLimit.maximum"));
        }
        assertEquals(RequestLimits.EVENTS, number("components.schemas.Events.oneOf.0.maxItems"));
        assertTrue(text("components.schemas.Events.description").contains("1 to " + RequestLimits.EVENTS + " "));
    }

    @Test
    void theInspectorsOrderingKeyFilterHasTheKeysBound() {
        Map<?, ?> parameter = ((List<?>) at("paths./webhook-inspector.get.parameters")).stream()
                .map(p -> (Map<?, ?>) p).filter(p -> "orderingKey".equals(p.get("name"))).findFirst().orElseThrow();
        Map<?, ?> schema = (Map<?, ?>) parameter.get("schema");
        assertEquals(RequestLimits.ORDERING_KEY_CHARS, ((Number) schema.get("maxLength")).intValue());
        assertTrue(String.valueOf(schema.get("pattern")).endsWith("{1," + RequestLimits.ORDERING_KEY_CHARS + "}$"),
                String.valueOf(schema.get("pattern")));
    }

    @Test
    void customHeadersHaveTheirBounds() {
        String p = "components.schemas.Headers.";
        assertEquals(RequestLimits.CUSTOM_HEADERS, number(p + "maxProperties"));
        assertEquals(RequestLimits.CUSTOM_HEADER_VALUE_CHARS, number(p + "additionalProperties.maxLength"));
        assertTrue(text(p + "propertyNames.pattern").endsWith("{1," + RequestLimits.CUSTOM_HEADER_NAME_CHARS + "}$"),
                text(p + "propertyNames.pattern"));
        String prose = text(p + "description");
        assertTrue(prose.contains("Up to " + RequestLimits.CUSTOM_HEADERS + " headers"), prose);
        assertTrue(prose.contains("at most " + RequestLimits.CUSTOM_HEADER_NAME_CHARS + " characters"), prose);
        assertTrue(prose.contains("at most " + RequestLimits.CUSTOM_HEADER_VALUE_CHARS + ")"), prose);
    }

    @Test
    void filterAndRetryScheduleProseStatesTheirBounds() {
        String filter = text("components.schemas.Filter.description");
        assertTrue(filter.contains("At most " + RequestLimits.FILTER_BYTES + " bytes as compact JSON and "
                + RequestLimits.FILTER_DEPTH + " levels deep"), filter);
        String retry = text("components.schemas.RetrySchedule.description");
        assertTrue(retry.contains("1 to " + RequestLimits.RETRY_DELAYS + " comma-separated"), retry);
        assertTrue(retry.contains("each from " + RequestLimits.RETRY_DELAY_MIN.toSeconds() + "s to "
                + RequestLimits.RETRY_DELAY_MAX.toHours() + "h, at most " + RequestLimits.RETRY_TOTAL_MAX.toDays()
                + " days in all"), retry);
    }

    @Test
    void pagingRotationRecoveryAndPortalLinksHaveTheirBounds() {
        assertEquals(RequestLimits.PAGE_SIZE_DEFAULT, number("components.parameters.limit.schema.default"));
        assertEquals(1, number("components.parameters.limit.schema.minimum"));
        assertTrue(text("components.parameters.limit.description").contains("above " + RequestLimits.PAGE_SIZE_MAX
                + " count as " + RequestLimits.PAGE_SIZE_MAX));

        String grace = "components.schemas.RotateSecretRequest.properties.gracePeriodSeconds.";
        assertEquals(RequestLimits.GRACE_SECONDS_MAX, number(grace + "maximum"));
        assertEquals(RequestLimits.GRACE_SECONDS_DEFAULT, number(grace + "default"));

        assertTrue(text("components.schemas.RecoverRequest.properties.since.description")
                .contains("At most " + RequestLimits.RECOVER_MAX_BACK.toDays() + " days ago"));

        String link = "components.schemas.PortalLinkRequest.properties.";
        assertEquals(RequestLimits.PORTAL_LINK_TTL_MIN.toSeconds(), number(link + "ttlSeconds.minimum"));
        assertEquals(RequestLimits.PORTAL_LINK_TTL_MAX.toSeconds(), number(link + "ttlSeconds.maximum"));
        assertEquals(RequestLimits.PORTAL_LINK_TTL_DEFAULT.toSeconds(), number(link + "ttlSeconds.default"));
        assertEquals(RequestLimits.PORTAL_LINK_WEBHOOKS, number(link + "webhookIds.maxItems"));
    }

    @Test
    void theBodyLimitIsTheOneThe413Names() {
        assertTrue(text("components.responses.PayloadTooLarge.description")
                .contains(RequestLimits.BODY_BYTES / 1024 + " KiB"));
    }

    /** The value at a dotted path; list indexes are numbers. */
    private static Object at(String path) {
        Object node = doc;
        for (String step : path.split("\\.")) {
            if (node instanceof List<?> list) {
                node = list.get(Integer.parseInt(step));
            } else if (node instanceof Map<?, ?> map) {
                node = map.get(step);
            } else {
                node = null;
            }
            assertNotNull(node, "openapi.yaml has no " + path);
        }
        return node;
    }

    private static long number(String path) {
        Object value = at(path);
        assertTrue(value instanceof Number, path + " is " + value);
        return ((Number) value).longValue();
    }

    private static String text(String path) {
        return String.valueOf(at(path));
    }
}
