package com.astra.webhooks.core.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.astra.webhooks.core.Json;
import com.astra.webhooks.core.RequestLimits;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EventFilterTest {

    private static final Map<String, Object> ENVELOPE = json("""
            {"id": "evt_1", "event": "agent.failed", "timestamp": "2026-12-07T02:00:00Z",
             "data": {"run": {"status": "failed", "attempts": 3, "cost": 1.5, "workspace": "ws-prod-eu",
                              "retryable": false, "note": null},
                      "tags": ["urgent", "billing"], "scores": [2, 9, 4],
                      "tools": [{"name": "search"}, {"name": "code"}], "big": 12345678901234567890}}
            """);

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(String text) {
        try {
            return (Map<String, Object>) Json.parse(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean matches(String filter) {
        return EventFilter.parse(json(filter), "filter").matches(ENVELOPE);
    }

    private static InvalidFilterException invalid(String filter) {
        return assertThrows(InvalidFilterException.class, () -> EventFilter.parse(json(filter), "filter"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            // implicit equality and $eq
            "{\"event\": \"agent.failed\"}                                  | true",
            "{\"event\": \"agent.completed\"}                               | false",
            "{\"data.run.status\": {\"$eq\": \"failed\"}}                   | true",
            "{\"data.run.attempts\": 3.0}                                   | true",
            "{\"data.run.retryable\": false}                                | true",
            "{\"data.run\": {\"$eq\": {\"status\": \"failed\"}}}            | false",
            // $ne
            "{\"data.run.status\": {\"$ne\": \"failed\"}}                   | false",
            "{\"data.run.status\": {\"$ne\": \"ok\"}}                       | true",
            // $in / $nin
            "{\"event\": {\"$in\": [\"agent.failed\", \"agent.completed\"]}} | true",
            "{\"event\": {\"$in\": []}}                                     | false",
            "{\"event\": {\"$nin\": [\"agent.failed\"]}}                    | false",
            "{\"event\": {\"$nin\": [\"tool.executed\"]}}                   | true",
            // order
            "{\"data.run.attempts\": {\"$gt\": 2}}                          | true",
            "{\"data.run.attempts\": {\"$gt\": 3}}                          | false",
            "{\"data.run.attempts\": {\"$gte\": 3}}                         | true",
            "{\"data.run.attempts\": {\"$lt\": 3}}                          | false",
            "{\"data.run.attempts\": {\"$lte\": 3}}                         | true",
            "{\"data.run.cost\": {\"$gt\": 1, \"$lt\": 2}}                  | true",
            "{\"data.run.cost\": {\"$gt\": 1.5}}                            | false",
            "{\"data.big\": {\"$gt\": 12345678901234567889}}                | true",
            "{\"data.big\": {\"$gt\": 1e30}}                                | false",
            "{\"timestamp\": {\"$gte\": \"2026-12-01T00:00:00Z\"}}          | true",
            "{\"data.run.status\": {\"$lt\": \"g\"}}                        | true",
            // $exists
            "{\"data.run.status\": {\"$exists\": true}}                     | true",
            "{\"data.run.note\": {\"$exists\": true}}                       | true",
            "{\"data.run.absent\": {\"$exists\": true}}                     | false",
            "{\"data.run.absent\": {\"$exists\": false}}                    | true",
            // $startsWith
            "{\"data.run.workspace\": {\"$startsWith\": \"ws-prod-\"}}      | true",
            "{\"data.run.workspace\": {\"$startsWith\": \"ws-dev-\"}}       | false",
            "{\"data.run.workspace\": {\"$startsWith\": \"\"}}              | true",
    })
    void eachOperator(String filter, boolean expected) {
        assertEquals(expected, matches(filter));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "{\"data.run.status\": {\"$gt\": 5}}",
            "{\"data.run.attempts\": {\"$gt\": \"2\"}}",
            "{\"data.run.attempts\": {\"$lte\": \"9\"}}",
            "{\"data.run.attempts\": \"3\"}",
            "{\"data.run.attempts\": {\"$startsWith\": \"3\"}}",
            "{\"data.run.retryable\": {\"$gte\": 0}}",
            "{\"data.run.retryable\": 0}",
            "{\"data.run\": {\"$gt\": 0}}",
            "{\"data.run.note\": {\"$lt\": \"z\"}}",
            "{\"data.tools\": {\"$startsWith\": \"s\"}}",
    })
    void typeMismatchesDoNotMatchAndDoNotThrow(String filter) {
        assertFalse(matches(filter));
    }

    @Test
    void missingPathsMatchOnlyNegationsAndNull() {
        assertFalse(matches("{\"data.nope.deeper\": \"x\"}"));
        assertFalse(matches("{\"data.nope\": {\"$gt\": 0}}"));
        assertFalse(matches("{\"data.nope\": {\"$in\": [\"a\", 1]}}"));
        assertFalse(matches("{\"data.run.status.length\": 6}"), "a string has no members");
        assertFalse(matches("{\"data.scores.7\": 2}"), "past the end of a list");
        assertTrue(matches("{\"data.nope\": {\"$ne\": \"x\"}}"), "$ne is the negation of $eq, as in MongoDB");
        assertTrue(matches("{\"data.nope\": {\"$nin\": [\"x\"]}}"));
        assertTrue(matches("{\"data.nope\": null}"), "null equals a missing field, as in MongoDB");
        assertTrue(matches("{\"data.run.note\": null}"));
        assertFalse(matches("{\"data.run.status\": null}"));
    }

    @Test
    void arraysMatchWhenTheListOrAnyElementDoes() {
        assertTrue(matches("{\"data.tags\": \"urgent\"}"));
        assertTrue(matches("{\"data.tags\": {\"$in\": [\"billing\", \"ops\"]}}"));
        assertFalse(matches("{\"data.tags\": {\"$in\": [\"ops\", \"security\"]}}"));
        assertTrue(matches("{\"data.tags\": {\"$nin\": [\"ops\"]}}"));
        assertFalse(matches("{\"data.tags\": {\"$nin\": [\"urgent\"]}}"), "no element may be in the list");
        assertTrue(matches("{\"data.tags\": [\"urgent\", \"billing\"]}"), "the whole list, in order");
        assertFalse(matches("{\"data.tags\": [\"billing\", \"urgent\"]}"));
        assertTrue(matches("{\"data.tags\": {\"$in\": [[\"urgent\", \"billing\"]]}}"));
        assertTrue(matches("{\"data.scores\": {\"$gt\": 8}}"), "some element is above 8");
        assertFalse(matches("{\"data.scores\": {\"$gt\": 9}}"));
        assertTrue(matches("{\"data.tags\": {\"$startsWith\": \"bill\"}}"));
        assertTrue(matches("{\"data.scores.1\": 9}"), "a whole-number segment indexes a list");
        assertTrue(matches("{\"data.tools.1.name\": \"code\"}"));
        assertFalse(matches("{\"data.tools.name\": \"code\"}"), "no implicit walk into list elements");
    }

    @Test
    void combinatorsNest() {
        assertTrue(matches("{\"$or\": [{\"event\": \"agent.completed\"}, {\"data.run.status\": \"failed\"}]}"));
        assertFalse(matches("{\"$or\": [{\"event\": \"agent.completed\"}, {\"data.run.status\": \"ok\"}]}"));
        assertTrue(matches("{\"$and\": [{\"event\": \"agent.failed\"}, {\"data.run.attempts\": {\"$gte\": 3}}]}"));
        assertFalse(matches("{\"$and\": [{\"event\": \"agent.failed\"}, {\"data.run.attempts\": {\"$gte\": 4}}]}"));
        assertFalse(matches("{\"$not\": {\"event\": \"agent.failed\"}}"));
        assertTrue(matches("{\"$not\": {\"$and\": [{\"event\": \"agent.failed\"}, {\"data.run.cost\": {\"$gt\": 2}}]}}"));
        assertTrue(matches("{\"data.run.attempts\": {\"$not\": {\"$gt\": 5}}}"), "field-level $not");
        assertFalse(matches("{\"data.run.attempts\": {\"$not\": {\"$in\": [1, 3]}}}"));
        assertTrue(matches("""
                {"event": "agent.failed",
                 "$or": [{"data.run.workspace": {"$startsWith": "ws-prod-"}},
                         {"$and": [{"data.tags": "ops"}, {"$not": {"data.run.retryable": true}}]}]}
                """));
        assertFalse(matches("{\"event\": \"agent.failed\", \"data.run.status\": \"ok\"}"), "keys are ANDed");
    }

    @Test
    void errorsNameThePath() {
        InvalidFilterException e = invalid("{\"$and\": [{\"event\": \"x\"}, {\"data.run.attempts\": {\"$gt\": true}}]}");
        assertEquals("filter.$and[1].data.run.attempts.$gt", e.path());
        assertTrue(e.getMessage().contains("number or a string"), e.getMessage());
        assertEquals("filter.data.n.$regex", invalid("{\"data.n\": {\"$regex\": \"a.*\"}}").path());
        assertEquals("filter.$nor", invalid("{\"$nor\": [{\"event\": \"x\"}]}").path());
        assertEquals("filter.run.status", invalid("{\"run.status\": \"failed\"}").path(), "paths start at the envelope");
        assertEquals("filter.data..x", invalid("{\"data..x\": 1}").path());
        assertEquals("filter.$or", invalid("{\"$or\": []}").path());
        assertEquals("filter.$or[0]", invalid("{\"$or\": [\"x\"]}").path());
        assertEquals("filter.$not", invalid("{\"$not\": {}}").path());
        assertEquals("filter.data.n.$in", invalid("{\"data.n\": {\"$in\": 3}}").path());
        assertEquals("filter.data.n.$exists", invalid("{\"data.n\": {\"$exists\": 1}}").path());
        assertEquals("filter.data.n.$startsWith", invalid("{\"data.n\": {\"$startsWith\": 1}}").path());
        assertEquals("filter.data.n.$lt", invalid("{\"data.n\": {\"$lt\": [1]}}").path());
        assertEquals("filter.data.n.x", invalid("{\"data.n\": {\"$gt\": 1, \"x\": 2}}").path());
        assertEquals("filter.data.n.$not", invalid("{\"data.n\": {\"$not\": 3}}").path());
        assertEquals("filter", invalid("{}").path());
        assertEquals("filter", assertThrows(InvalidFilterException.class, () -> EventFilter.parse("event", "filter")).path());
    }

    @Test
    void limitsOnSizeAndDepth() {
        String atLimit = "{\"data.s\": \"" + "x".repeat(RequestLimits.FILTER_BYTES - "{\"data.s\":\"\"}".length()) + "\"}";
        assertEquals(RequestLimits.FILTER_BYTES, EventFilter.parse(json(atLimit), "filter").text().length());
        String over = "{\"data.s\": \"" + "x".repeat(RequestLimits.FILTER_BYTES - "{\"data.s\":\"\"}".length() + 1) + "\"}";
        InvalidFilterException big = invalid(over);
        assertEquals("filter", big.path());
        assertTrue(big.getMessage().contains("4096"), big.getMessage());

        // 8 levels: filter > $not > $not > ... ; the 9th object is refused, by its path
        assertFalse(matches(nestedNots(7, "{\"event\": \"agent.failed\"}")), "seven negations of a match");
        InvalidFilterException deep = invalid(nestedNots(8, "{\"event\": \"agent.failed\"}"));
        assertEquals("filter" + ".$not".repeat(8), deep.path());
        assertTrue(deep.getMessage().contains("8 levels"), deep.getMessage());
    }

    private static String nestedNots(int n, String inner) {
        return "{\"$not\": ".repeat(n) + inner + "}".repeat(n);
    }

    @Test
    void roundTripsThroughItsStoredText() {
        EventFilter f = EventFilter.parse(json("{\"data.tags\": {\"$in\": [\"a\", null, 2]}, \"event\": \"x\"}"), "filter");
        EventFilter back = EventFilter.fromText(f.text());
        assertEquals(f, back);
        assertEquals(f.document(), back.document());
        assertEquals(2, back.clauses());
    }
}
