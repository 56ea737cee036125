package com.astra.webhooks.core.http;
// TEMP STUB replaced by branch core
public record DeliveryResult(Integer statusCode, String responseBody, long latencyMs, String error) {
    public boolean success() { return statusCode != null && statusCode >= 200 && statusCode < 300; }
}
