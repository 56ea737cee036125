package com.astra.webhooks.jobs;

import com.astra.webhooks.core.Json;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The rest of a recover still to do: the webhook's final failures in [{@code since},
 * {@code until}] after the dispatch id {@code after}. Carried on the events queue so that a
 * window of any size is worked through one bounded page per message.
 */
public record RecoveryPage(String tenant, String webhookId, Instant since, Instant until, String after) {

    public String toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tenant", tenant);
        m.put("webhookId", webhookId);
        m.put("since", since.toString());
        m.put("until", until.toString());
        m.put("after", after);
        return Json.write(m);
    }

    public static RecoveryPage fromJson(String body) throws PoisonMessageException {
        try {
            Map<String, Object> m = Json.parseObject(body);
            return new RecoveryPage((String) m.get("tenant"), (String) m.get("webhookId"),
                    Instant.parse((String) m.get("since")), Instant.parse((String) m.get("until")), (String) m.get("after"));
        } catch (IOException | RuntimeException e) {
            throw new PoisonMessageException("recover message is malformed");
        }
    }
}
