package com.astra.webhooks.core.http;

import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Keeps the first {@code cap} bytes of a response body and then cancels the subscription, which
 * makes the HTTP client close the connection: a 10 MB or endless body is never read, let alone
 * buffered. The body completes normally with the kept bytes, so the status and the start of the
 * answer are still recorded.
 *
 * <p>Bytes are requested one buffer list at a time, so the client reads from the socket only as
 * fast as we consume.
 */
final class CappedBodySubscriber implements HttpResponse.BodySubscriber<CappedBodySubscriber.Kept> {

    /** The kept prefix; {@code cutShort} when the body went on past the cap (or may have). */
    record Kept(byte[] bytes, int length, boolean cutShort) {}

    private final int cap;
    private final byte[] buffer;
    private int length; // guarded by this
    private Flow.Subscription subscription; // guarded by this
    private boolean aborted; // guarded by this
    private final CompletableFuture<Kept> result = new CompletableFuture<>();

    CappedBodySubscriber(int cap) {
        this.cap = cap;
        this.buffer = new byte[cap];
    }

    @Override
    public CompletionStage<Kept> getBody() {
        return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        boolean cancelNow;
        synchronized (this) {
            cancelNow = subscription != null || aborted;
            if (subscription == null) {
                subscription = s;
            }
        }
        if (cancelNow) {
            s.cancel();
        } else {
            s.request(1);
        }
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
        boolean full;
        Flow.Subscription s;
        synchronized (this) {
            for (ByteBuffer b : buffers) {
                int n = Math.min(b.remaining(), cap - length);
                b.get(buffer, length, n);
                length += n;
                if (b.hasRemaining()) {
                    break; // more than the cap arrived; the rest is dropped
                }
            }
            full = length >= cap;
            s = subscription;
        }
        if (full) {
            // Complete before cancelling, so the HTTP client sees a finished body, not an error.
            result.complete(snapshot(true));
            s.cancel();
        } else {
            s.request(1);
        }
    }

    @Override
    public void onError(Throwable throwable) {
        result.completeExceptionally(throwable);
    }

    @Override
    public void onComplete() {
        result.complete(snapshot(false));
    }

    /** What has arrived so far; used when the attempt is abandoned mid-body. */
    Kept soFar() {
        return snapshot(true);
    }

    /** Stops reading (timeout, interrupt): cancels the subscription now or as soon as it arrives. */
    void abort() {
        Flow.Subscription s;
        synchronized (this) {
            aborted = true;
            s = subscription;
        }
        if (s != null) {
            s.cancel();
        }
    }

    private synchronized Kept snapshot(boolean cutShort) {
        return new Kept(Arrays.copyOf(buffer, length), length, cutShort);
    }
}
