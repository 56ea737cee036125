package com.astra.webhooks.store.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.astra.webhooks.core.Ids;
import com.astra.webhooks.model.Page;
import com.astra.webhooks.model.Webhook;
import com.astra.webhooks.model.WebhookChanges;
import com.astra.webhooks.store.InvalidCursorException;
import com.astra.webhooks.store.WebhookLimitReachedException;
import com.astra.webhooks.store.WebhookStore;
import com.astra.webhooks.store.WebhookStore.FailingRun;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link WebhookStore} does, run against the in-memory fake and against DynamoDB. */
public abstract class WebhookStoreContract {

    private static final Instant CREATED = Instant.parse("2026-12-01T10:00:00.123Z");
    /** The stores' clock: reads judge a previous secret's grace by it. */
    protected static final Instant NOW = Instant.parse("2026-12-02T10:00:00.456Z");
    private static final int CAP = 3;

    /**
     * A store whose clock reads {@code clock} and whose tenants hold at most {@code maxWebhooks};
     * tenants here are fresh, so it may hold other tenants' webhooks.
     */
    protected abstract WebhookStore store(Clock clock, int maxWebhooks);

    private WebhookStore store;
    private final String tenant = "t-" + UUID.randomUUID();

    @BeforeEach
    void open() {
        store = store(Clock.fixed(NOW, ZoneOffset.UTC), CAP);
    }

    private Webhook webhook() {
        return new Webhook(Ids.newId(Ids.WEBHOOK), tenant, "https://example.com/hook", List.of("agent_completed"),
                "mine", true, CREATED, CREATED, "whsec_current", null, Map.of("x-team", "a"), 5, null, null);
    }

    private Webhook created() {
        Webhook w = webhook();
        store.create(w);
        return w;
    }

    @Test
    void aCreatedWebhookIsReadBackAsGivenByItsTenantAlone() {
        Webhook w = created();

        assertEquals(Optional.of(w), store.get(tenant, w.id()));
        assertEquals(Optional.empty(), store.get(tenant + "-other", w.id()));
        assertEquals(Optional.empty(), store.get(tenant, Ids.newId(Ids.WEBHOOK)));
    }

    @Test
    void anUpdateWritesTheFieldsItNamesAndEnablingDropsTheServicesReason() {
        Webhook w = created();
        assertTrue(store.disable(tenant, w.id(), "receiver answered 410 Gone", CREATED));
        Instant at = CREATED.plusSeconds(60);

        Webhook changed = store.update(tenant, w.id(), new WebhookChanges("https://example.com/other", null, null, true,
                true, null, null, true), at).orElseThrow();

        assertEquals("https://example.com/other", changed.url());
        assertEquals(w.events(), changed.events(), "not named: kept");
        assertEquals(w.headers(), changed.headers(), "not named: kept");
        assertEquals(w.secret(), changed.secret(), "an update never writes the secret");
        assertNull(changed.description(), "cleared");
        assertNull(changed.rateLimit(), "cleared");
        assertTrue(changed.enabled());
        assertNull(changed.disabledReason(), "the tenant decided");
        assertEquals(at, changed.updatedAt());
        assertEquals(Optional.of(changed), store.get(tenant, w.id()));
        assertEquals(Optional.empty(), store.update(tenant, Ids.newId(Ids.WEBHOOK),
                new WebhookChanges("https://example.com/x", null, null, false, null, null, null, false), at));
    }

    @Test
    void aDisableWinsOnceAndKeepsEverythingElse() {
        Webhook w = created();

        assertTrue(store.disable(tenant, w.id(), "failing for 5 days", NOW));
        assertFalse(store.disable(tenant, w.id(), "again", NOW), "already disabled: one caller alone wins");
        assertFalse(store.disable(tenant, Ids.newId(Ids.WEBHOOK), "gone", NOW));

        Webhook off = store.get(tenant, w.id()).orElseThrow();
        assertFalse(off.enabled());
        assertEquals("failing for 5 days", off.disabledReason());
        assertEquals(w.url(), off.url());
        assertEquals(w.secret(), off.secret());
    }

    @Test
    void aFailingRunCountsFromItsFirstFailureUntilCleared() {
        Webhook w = created();
        Instant first = NOW.minusSeconds(60);

        assertEquals(Optional.of(new FailingRun(first, 1)), store.markFailing(tenant, w.id(), first));
        assertEquals(Optional.of(new FailingRun(first, 2)), store.markFailing(tenant, w.id(), NOW));
        assertEquals(first, store.get(tenant, w.id()).orElseThrow().failingSince());

        store.clearFailing(tenant, w.id());
        assertNull(store.get(tenant, w.id()).orElseThrow().failingSince());
        assertEquals(Optional.of(new FailingRun(NOW, 1)), store.markFailing(tenant, w.id(), NOW), "a new run");
        assertEquals(Optional.empty(), store.markFailing(tenant, Ids.newId(Ids.WEBHOOK), NOW));
    }

    @Test
    void theSlowMarkIsSetOnceAndCleared() {
        Webhook w = created();

        store.markSlow(tenant, w.id(), NOW.minusSeconds(5));
        store.markSlow(tenant, w.id(), NOW);
        assertEquals(NOW.minusSeconds(5), store.get(tenant, w.id()).orElseThrow().slowSince(), "the first mark stays");

        store.clearSlow(tenant, w.id());
        assertNull(store.get(tenant, w.id()).orElseThrow().slowSince());
        store.clearSlow(tenant, w.id()); // nothing to clear: no failure
        store.markSlow(tenant, Ids.newId(Ids.WEBHOOK), NOW); // gone: nothing written
    }

    @Test
    void theCapRefusesACreateAndADeleteFreesItsSlotOnce() {
        List<Webhook> made = new ArrayList<>();
        for (int i = 0; i < CAP; i++) {
            made.add(created());
        }
        Webhook refused = webhook();

        assertEquals(CAP, assertThrows(WebhookLimitReachedException.class, () -> store.create(refused)).limit());
        assertTrue(store.get(tenant, refused.id()).isEmpty(), "a refused create writes nothing");
        assertTrue(store.delete(tenant, made.get(0).id()));
        assertFalse(store.delete(tenant, made.get(0).id()), "already gone: nothing freed");
        store.create(refused);
        assertThrows(WebhookLimitReachedException.class, () -> store.create(webhook()));
    }

    @Test
    void aRotationWithGraceSignsWithThePreviousSecretUntilItExpires() {
        Webhook w = created();
        Instant expires = NOW.plusSeconds(3600);

        assertTrue(store.rotateSecret(w, "whsec_next", null, expires, NOW));

        Webhook rotated = store.get(tenant, w.id()).orElseThrow();
        assertEquals("whsec_next", rotated.secret());
        assertEquals("whsec_current", rotated.previousSecret());
        assertEquals(expires, rotated.previousSecretExpiresAt());
        assertEquals(NOW, rotated.updatedAt());
        assertFalse(store.erasePreviousSecret(tenant, w.id(), NOW), "still in grace");
        assertTrue(store.erasePreviousSecret(tenant, w.id(), expires));
        assertNull(store.get(tenant, w.id()).orElseThrow().previousSecret());
        assertFalse(store.erasePreviousSecret(tenant, w.id(), expires), "nothing left to erase");
    }

    @Test
    void aRotationWithoutGraceDropsTheCurrentSecretAtOnce() {
        Webhook w = created();
        assertTrue(store.rotateSecret(w, "whsec_a", null, NOW.plusSeconds(60), NOW));
        Webhook withPrevious = store.get(tenant, w.id()).orElseThrow();

        assertTrue(store.rotateSecret(withPrevious, "whsec_b", null, null, NOW));

        Webhook rotated = store.get(tenant, w.id()).orElseThrow();
        assertEquals("whsec_b", rotated.secret());
        assertNull(rotated.previousSecret());
        assertNull(rotated.previousSecretExpiresAt());
        assertFalse(store.rotateSecret(webhook(), "whsec_c", null, null, NOW), "no such webhook");
    }

    @Test
    void aReadNeverReturnsAPreviousSecretWhoseGraceIsOver() {
        Webhook w = created();
        assertTrue(store.rotateSecret(w, "whsec_next", null, NOW.minusSeconds(1), NOW.minusSeconds(60)));

        Webhook read = store.get(tenant, w.id()).orElseThrow();
        assertNull(read.previousSecret());
        assertNull(store.listAll(tenant).get(0).previousSecret());
        assertFalse(store.erasePreviousSecret(tenant, w.id(), NOW), "the read erased it already");
    }

    @Test
    void aListPagesNewestIdFirstAndRefusesAForgedCursor() {
        List<Webhook> made = new ArrayList<>();
        for (int i = 0; i < CAP; i++) {
            made.add(created());
        }
        made.sort(Comparator.comparing(Webhook::id).reversed());

        Page<Webhook> first = store.list(tenant, 2, null);
        assertEquals(made.subList(0, 2), first.items());
        assertNotNull(first.nextCursor());
        Page<Webhook> second = store.list(tenant, 2, first.nextCursor());
        assertEquals(made.subList(2, 3), second.items());
        assertNull(second.nextCursor());
        assertEquals(made, store.listAll(tenant));
        assertThrows(InvalidCursorException.class, () -> store.list(tenant, 2, "not-a-cursor"));
        assertThrows(InvalidCursorException.class, () -> store.list(tenant + "-other", 2, first.nextCursor()),
                "another tenant's cursor");
    }
}
