package com.astra.webhooks.worker;

import com.astra.webhooks.core.filter.EventFilter;
import com.astra.webhooks.core.signing.Ed25519KeyPair;
import com.astra.webhooks.core.signing.WebhookSigner;
import com.astra.webhooks.dispatch.Envelope;
import com.astra.webhooks.dispatch.Sender;
import com.astra.webhooks.model.Event;
import com.astra.webhooks.model.EventTypeCatalog;
import com.astra.webhooks.model.Signing;
import com.astra.webhooks.model.SigningMode;
import com.astra.webhooks.model.Webhook;
import com.astra.webhooks.store.EventStore;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/** The delivery path's payload read and signing, sending and storing nothing: run before a SnapStart snapshot. */
final class WarmUp {

    private final EventStore events;
    private final Sender sender;
    private final EventTypeCatalog catalog;
    private final Clock clock;

    WarmUp(EventStore events, Sender sender, EventTypeCatalog catalog, Clock clock) {
        this.events = events;
        this.sender = sender;
        this.catalog = catalog;
        this.clock = clock;
    }

    void run(String tenant) {
        events.payload(tenant, "evt_snapstart_priming");
        // Signing with both schemes: the JDK's Ed25519 costs tens of milliseconds the first time.
        Webhook sample = new Webhook("wh_00000000000000000000000000", tenant, "https://example.invalid/",
                List.of(Webhook.ALL_EVENTS), null, true, clock.instant(), clock.instant(),
                WebhookSigner.newSecret(), null, Map.of(), null, null, null, null,
                Signing.of(SigningMode.BOTH, Ed25519KeyPair.generate()),
                EventFilter.parse(Map.of("event", Map.of("$exists", true)), "filter"), null);
        Event event = new Event("evt_snapstart_priming", tenant, catalog.names().get(0), clock.instant(), Map.of());
        sample.accepts(Envelope.fields(event)); // loads the filter evaluator before the snapshot too
        sender.attempt(sample, event.id(), event.type(), Envelope.of(event), 1, true);
    }
}
