package com.astra.webhooks.dispatch;

import com.astra.webhooks.core.Timestamps;
import com.astra.webhooks.core.Json;
import com.astra.webhooks.model.Event;
import java.util.LinkedHashMap;
import java.util.Map;

/** The body every receiver gets: {@code {"id", "event", "timestamp", "data"}}, serialised once per event. */
public final class Envelope {
    private Envelope() {}

    public static String of(Event event) {
        return Json.write(fields(event));
    }

    /** The same body as a map: what a webhook's filter is matched against, so it sees what the receiver would. */
    public static Map<String, Object> fields(Event event) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", event.id());
        body.put("event", event.type());
        body.put("timestamp", Timestamps.format(event.timestamp()));
        body.put("data", event.data());
        return body;
    }
}
