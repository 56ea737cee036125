package com.astra.webhooks.local;

import com.astra.webhooks.core.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Verifies {@code v1a} signatures the way a Node receiver would: {@code src/test/node/verify-v1a.mjs}
 * (node:crypto's {@code verify}) in a real {@code node} process, one process per batch of checks.
 */
final class NodeVerifier {

    private static final Path SCRIPT = Path.of("src/test/node/verify-v1a.mjs");

    /** One check: would a receiver holding {@code publicKey} accept this body under these headers? */
    record Check(String publicKey, String id, String timestamp, String body, String signature) {
        static Check of(String publicKey, Receiver.Request r) {
            return new Check(publicKey, r.header("webhook-id"), r.header("webhook-timestamp"), r.body(),
                    r.header("webhook-signature"));
        }
    }

    private NodeVerifier() {}

    /** The verdict of each check, in order. */
    static List<Boolean> verify(List<Check> checks) {
        if (!Files.exists(SCRIPT)) {
            throw new IllegalStateException(SCRIPT.toAbsolutePath() + " is missing");
        }
        List<Map<String, Object>> input = new ArrayList<>();
        for (Check c : checks) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("publicKey", c.publicKey());
            m.put("id", c.id());
            m.put("timestamp", c.timestamp());
            m.put("body", c.body());
            m.put("signature", c.signature());
            input.add(m);
        }
        try {
            Process node = new ProcessBuilder("node", SCRIPT.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            try (OutputStream in = node.getOutputStream()) {
                in.write(Json.write(input).getBytes(StandardCharsets.UTF_8));
            }
            String out = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!node.waitFor(30, TimeUnit.SECONDS) || node.exitValue() != 0) {
                node.destroyForcibly();
                throw new IllegalStateException("node verifier failed: " + out);
            }
            List<Boolean> verdicts = new ArrayList<>();
            for (Object v : (List<?>) Json.parse(out)) {
                verdicts.add((Boolean) v);
            }
            return verdicts;
        } catch (IOException e) {
            throw new IllegalStateException("could not run node", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
