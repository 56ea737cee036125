package com.astra.webhooks.local;

import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * What the functions write through their Lambda logger: their JSON log records and EMF metric
 * records. Printed on the runner's stderr, one record per line, as CloudWatch would receive them,
 * and the most recent ones are kept so tests (and a curious user in a debugger) can read them.
 */
public final class FunctionLogs {

    /** Enough for any one test's records; older ones are dropped, so a long-running runner stays small. */
    static final int KEPT = 20_000;

    private static final Deque<String> RECENT = new ArrayDeque<>();

    private FunctionLogs() {}

    static final LambdaLogger LOGGER = new LambdaLogger() {
        @Override
        public void log(String message) {
            String line = message.endsWith("\n") ? message.substring(0, message.length() - 1) : message;
            synchronized (RECENT) {
                if (RECENT.size() == KEPT) {
                    RECENT.removeFirst();
                }
                RECENT.addLast(line);
            }
            System.err.println(line);
        }

        @Override
        public void log(byte[] message) {
            log(new String(message, StandardCharsets.UTF_8));
        }
    };

    /** The most recent records, oldest first. */
    public static List<String> recent() {
        synchronized (RECENT) {
            return List.copyOf(RECENT);
        }
    }
}
