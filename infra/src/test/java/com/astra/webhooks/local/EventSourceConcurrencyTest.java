package com.astra.webhooks.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** How many batches the local SQS event source runs at once, from the template or the --pollers override. */
class EventSourceConcurrencyTest {

    private static TemplateModel.SqsSource source(int maximumConcurrency) {
        return new TemplateModel.SqsSource("F", "h::handleRequest", "Q", 10, 0, true, maximumConcurrency);
    }

    @Test
    void theBundledTemplateScalesToItsMaximumConcurrencyCappedForOneMachine() {
        var bundled = TemplateModel.bundled().sqsSource().orElseThrow();
        assertEquals(50, bundled.maximumConcurrency());
        assertEquals(EventSourceMapping.LOCAL_MAX_CONCURRENCY, EventSourceMapping.concurrency(bundled, null));
    }

    @Test
    void aTemplateMaximumBelowTheCapIsFollowed() {
        assertEquals(3, EventSourceMapping.concurrency(source(3), null));
    }

    @Test
    void aTemplateWithoutScalingConfigGetsTheCap() {
        assertEquals(0, TemplateModel.load(StubStack.template()).sqsSource().orElseThrow().maximumConcurrency());
        assertEquals(EventSourceMapping.LOCAL_MAX_CONCURRENCY, EventSourceMapping.concurrency(source(0), null));
    }

    @Test
    void thePollersOptionOverridesTheTemplateEitherWay() {
        assertEquals(2, EventSourceMapping.concurrency(source(50), 2));
        assertEquals(20, EventSourceMapping.concurrency(source(3), 20));
        assertEquals(0, EventSourceMapping.concurrency(source(50), 0));
    }
}
