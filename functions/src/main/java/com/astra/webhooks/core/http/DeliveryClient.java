package com.astra.webhooks.core.http;
import com.astra.webhooks.core.urlguard.TargetGuard;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
// TEMP STUB replaced by branch core
public class DeliveryClient {
    public DeliveryClient(Duration timeout, TargetGuard guard, String userAgent) {}
    public DeliveryResult send(URI url, Map<String, String> headers, String body) { throw new UnsupportedOperationException(); }
}
