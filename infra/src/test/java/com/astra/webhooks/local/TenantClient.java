package com.astra.webhooks.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.astra.webhooks.core.Json;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/** One fresh tenant's view of the runner: its token, its webhooks, its events onto the queue, its lists. */
final class TenantClient {

    final String tenant;
    final String token;
    final Http http = AstraLocalExtension.http();

    TenantClient() {
        this("t-" + UUID.randomUUID());
    }

    TenantClient(String tenant) {
        this.tenant = tenant;
        this.token = AstraLocalExtension.token(tenant);
    }

    /** Creates a webhook and returns the create answer (with the secret). */
    Map<String, Object> createWebhook(String url, String eventsJson) {
        Http.Response r = http.post("/webhooks", token, "{\"url\":" + Json.write(url) + ",\"events\":" + eventsJson + "}");
        assertEquals(201, r.status(), r.body());
        return WebhookApiTest.json(r);
    }

    Http.Response get(String path) {
        return http.get(path, token);
    }

    Http.Response post(String path) {
        return http.post(path, token, null);
    }

    Http.Response delete(String path) {
        return http.delete(path, token);
    }

    /** Pushes one event of this tenant onto the events queue and returns its id. */
    String push(String type, Map<String, Object> data) {
        String id = "evt_" + UUID.randomUUID().toString().replace("-", "");
        AstraLocalExtension.sqs().sendMessage(b -> b.queueUrl(AstraLocalExtension.eventsQueueUrl()).messageBody(message(type, id, data)));
        return id;
    }

    /** Pushes {@code count} events of one type, ten messages per SendMessageBatch; returns their ids. */
    List<String> pushMany(String type, int count) {
        List<String> ids = new ArrayList<>();
        List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String id = "evt_" + UUID.randomUUID().toString().replace("-", "");
            ids.add(id);
            entries.add(SendMessageBatchRequestEntry.builder().id("m" + i).messageBody(message(type, id, Map.of("n", i))).build());
            if (entries.size() == 10 || i == count - 1) {
                List<SendMessageBatchRequestEntry> send = entries;
                var response = AstraLocalExtension.sqs().sendMessageBatch(b -> b.queueUrl(AstraLocalExtension.eventsQueueUrl()).entries(send));
                assertEquals(0, response.failed().size(), response.failed().toString());
                entries = new ArrayList<>();
            }
        }
        return ids;
    }

    String message(String type, String id, Map<String, Object> data) {
        return Json.write(Map.of("event", type, "tenant", tenant, "id", id, "data", data));
    }

    /** Every item of a list route, following nextCursor; each page is checked against {@code pageSize}. */
    List<Map<String, Object>> all(String path, int pageSize) {
        List<Map<String, Object>> items = new ArrayList<>();
        String cursor = null;
        do {
            Http.Response r = get(withQuery(path, "limit=" + pageSize + (cursor == null ? "" : "&cursor=" + enc(cursor))));
            assertEquals(200, r.status(), r.body());
            Map<String, Object> body = WebhookApiTest.json(r);
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> data = (List<Map<String, Object>>) body.get("data");
            cursor = (String) body.get("nextCursor");
            if (cursor != null) {
                assertEquals(pageSize, data.size(), "every page but the last is full: " + path);
            }
            items.addAll(data);
        } while (cursor != null);
        return items;
    }

    static String withQuery(String path, String query) {
        return path + (path.contains("?") ? "&" : "?") + query;
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
