package com.astra.webhooks.core.urlguard;
import java.util.Optional;
// TEMP STUB replaced by branch core
public class TargetGuard {
    public TargetGuard(boolean a, boolean b) {}
    public Optional<String> validate(String url) { return url.startsWith("http") ? Optional.empty() : Optional.of("url must be an absolute http(s) URL"); }
}
