package com.astra.webhooks.local;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Starts the runner in a child JVM, for the tests that must kill it for real (kill -9), and
 * waits for its banner. Everything it prints is kept in {@code output} for failure messages.
 */
final class ChildRunner {
    private ChildRunner() {}

    static Process start(ProcessBuilder builder, StringBuilder output) throws IOException {
        Process p = builder.redirectErrorStream(true).start();
        CompletableFuture<Boolean> up = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    synchronized (output) {
                        output.append(line).append('\n');
                    }
                    if (line.contains("local runner is up")) {
                        up.complete(true);
                    }
                }
            } catch (IOException ignored) {
                // the process was killed
            }
            up.complete(false);
        }, "child-runner-output");
        reader.setDaemon(true);
        reader.start();
        boolean started;
        try {
            started = up.get(90, TimeUnit.SECONDS);
        } catch (Exception e) {
            started = false;
        }
        if (!started) {
            p.destroyForcibly();
            synchronized (output) {
                throw new AssertionError("runner did not start:\n" + output);
            }
        }
        return p;
    }
}
