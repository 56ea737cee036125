package com.astra.webhooks.local;

/** What a developer needs to start poking at the stack, printed once everything is up. */
final class Banner {

    private Banner() {}

    static String render(LocalRunner r, String token) {
        String storage = r.dataDir().map(d -> d.toAbsolutePath().normalize().toString()).orElse("in memory (nothing kept)");
        return """

                Astra Webhooks local runner is up
                  HTTP API   %s
                  SQS        %s
                    events   %s
                    DLQ      %s%s
                  DynamoDB   %s  (table %s)
                  state      %s

                  token for tenant "local" (24 h; another: java -jar infra/target/astra-local.jar token --tenant T):
                  %s

                  curl -H "Authorization: Bearer %s" %s/webhooks

                  web console (signed in as "local"):
                  %s/console#token=%s

                Ctrl-C stops everything.
                """.formatted(r.httpUrl(), r.sqsEndpoint(), r.eventsQueueUrl(), r.dlqUrl(), ordered(r), r.dynamoEndpoint(),
                r.tableName(), storage, token, token, r.httpUrl(), r.httpUrl(), token);
    }

    /** The FIFO queue for events with an orderingKey, when the template has one. */
    private static String ordered(LocalRunner r) {
        String url = r.queueUrl("EventsFifoQueue", false);
        return url == null ? "" : "\n    ordered  " + url;
    }
}
