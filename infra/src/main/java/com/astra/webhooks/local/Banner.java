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
                    DLQ      %s
                  DynamoDB   %s  (table %s)
                  state      %s

                  token for tenant "local" (24 h; another: java -jar infra/target/astra-local.jar token --tenant T):
                  %s

                  curl -H "Authorization: Bearer %s" %s/webhooks

                  web console (signed in as "local"):
                  %s/console#token=%s

                Ctrl-C stops everything.
                """.formatted(r.httpUrl(), r.sqsEndpoint(), r.eventsQueueUrl(), r.dlqUrl(), r.dynamoEndpoint(),
                r.tableName(), storage, token, token, r.httpUrl(), r.httpUrl(), token);
    }
}
