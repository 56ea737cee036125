package com.astra.webhooks.local;

import com.astra.webhooks.config.Settings;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the template's {@code Ref}s resolve to on this machine: the table's name and the queues'
 * (and their DLQs') URLs, which the functions find in their environment as they would on AWS.
 */
final class LocalRefs {

    private LocalRefs() {}

    /** {@code Ref} by logical id for the table {@code tableResource} named {@code table} and {@code queues}. */
    static Map<String, String> of(TemplateModel template, String tableResource, String table,
                                  Map<String, QueueSetup.Queues> queues) {
        Map<String, String> refs = new LinkedHashMap<>();
        refs.put(tableResource, table);
        queues.forEach((resource, q) -> {
            refs.put(resource, q.eventsUrl());
            Object redrive = TemplateModel.map(template.properties(resource).get("RedrivePolicy")).get("deadLetterTargetArn");
            if (redrive != null) {
                refs.put(TemplateModel.referencedResource(redrive), q.dlqUrl());
            }
        });
        // No Secrets Manager here: a secret's ARN is empty, and JWT_SECRET stands in for the key it holds.
        template.resourcesOfType("AWS::SecretsManager::Secret").forEach(id -> refs.put(id, ""));
        return refs;
    }

    /** The table the functions' TABLE_NAME refers to, else the template's only table. */
    static String tableResource(TemplateModel template) {
        Map<String, Object> variables = TemplateModel.map(
                TemplateModel.map(template.globalFunction().get("Environment")).get("Variables"));
        Object ref = variables.get(Settings.TABLE_NAME);
        if (ref instanceof Map<?, ?> m && m.containsKey("Ref")) {
            return TemplateModel.referencedResource(ref);
        }
        return template.resourcesOfType("AWS::DynamoDB::Table").stream().findFirst()
                .orElseThrow(() -> new LocalRunner.StartupException("template has no AWS::DynamoDB::Table"));
    }
}
