package com.astra.webhooks.bench;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One cold start of one Lambda handler, measured from inside a fresh JVM. Started by
 * {@link ColdStartBenchmark} as a child process whose class path is the shaded Lambda jar, the
 * Lambda runtime's serialization library and this class. Each request goes in as the JSON Lambda
 * hands the runtime, and is handed to the handler the way the runtime interface client does: a
 * {@link RequestStreamHandler} gets the bytes, a {@link RequestHandler} gets the event object
 * the runtime's serialization library maps from them (and its answer is mapped back to JSON),
 * so each handler pays for the mapping it causes on Lambda. The events are made by the parent and
 * read here as bytes, as the runtime interface client reads them from the runtime API: making
 * them here (a UUID, string formatting) would charge the handler for the probe's own first uses.
 *
 * <pre>
 * args: HANDLER_CLASS api|sqs FIRST_EVENT_FILE SECOND_EVENT_FILE
 *       none                              (baseline: JVM + this probe, no handler)
 * </pre>
 *
 * Prints one line {@code PROBE main=.. constructed=.. first=.. second=.. classes=.. cpu=.. result=..}
 * (milliseconds: JVM start -> main, JVM start -> handler constructed, first and second
 * handleRequest; the process's CPU time up to the first response). Management beans are touched only at the end so they do not count in the
 * timings (their classes do count in {@code classes}; the baseline row shows how many).
 */
public final class ColdStartProbe {

    public static void main(String[] args) throws Exception {
        long mainEpoch = System.currentTimeMillis();
        long t0 = System.nanoTime();
        String handlerClass = args[0];
        String result;
        long constructedNanos;
        long firstNanos = 0;
        long secondNanos = 0;
        double cpuMs;
        if ("none".equals(handlerClass)) {
            constructedNanos = System.nanoTime();
            cpuMs = cpuMs();
            result = "baseline";
        } else {
            Object handler = Class.forName(handlerClass).getConstructor().newInstance();
            constructedNanos = System.nanoTime();
            boolean api = "api".equals(args[1]);
            String first = invoke(handler, Files.readAllBytes(Path.of(args[2])), api);
            firstNanos = System.nanoTime();
            cpuMs = cpuMs();
            String second = invoke(handler, Files.readAllBytes(Path.of(args[3])), api);
            secondNanos = System.nanoTime();
            result = describe(first) + "," + describe(second);
        }
        long startEpoch = ManagementFactory.getRuntimeMXBean().getStartTime();
        int classes = (int) ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount();
        double mainMs = mainEpoch - startEpoch;
        System.out.printf("PROBE main=%.1f constructed=%.1f first=%.1f second=%.1f classes=%d cpu=%.1f result=%s%n",
                mainMs,
                mainMs + ms(constructedNanos - t0),
                firstNanos == 0 ? 0 : ms(firstNanos - constructedNanos),
                secondNanos == 0 ? 0 : ms(secondNanos - firstNanos),
                classes, cpuMs, result);
    }

    /**
     * CPU time of the whole JVM (all threads: JIT, GC) so far. On shared cores it varies far less
     * than the wall-clock times, which include waiting for a core.
     */
    private static double cpuMs() {
        return ProcessHandle.current().info().totalCpuDuration().map(d -> d.toNanos() / 1_000_000.0).orElse(-1.0);
    }

    private static double ms(long nanos) {
        return nanos / 1_000_000.0;
    }

    private static final String EVENTS = "com.amazonaws.services.lambda.runtime.events.";
    private static final String SERIALIZERS = "com.amazonaws.services.lambda.runtime.serialization.";

    /** One invocation as the runtime interface client makes it: JSON in, JSON out. */
    private static String invoke(Object handler, byte[] event, boolean api) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (handler instanceof RequestStreamHandler stream) {
            stream.handleRequest(new ByteArrayInputStream(event), out, new ProbeContext());
            return out.toString(StandardCharsets.UTF_8);
        }
        // the runtime's serialization library, by reflection: it is on the probe's class path only
        ClassLoader loader = ColdStartProbe.class.getClassLoader();
        Class<?> serializers = Class.forName(SERIALIZERS + "events.LambdaEventSerializers");
        Class<?> pojo = Class.forName(SERIALIZERS + "PojoSerializer");
        Class<?> eventClass = Class.forName(EVENTS + (api ? "APIGatewayV2HTTPEvent" : "SQSEvent"));
        Object in = serializers.getMethod("serializerFor", Class.class, ClassLoader.class).invoke(null, eventClass, loader);
        Object request = pojo.getMethod("fromJson", InputStream.class)
                .invoke(in, new ByteArrayInputStream(event));
        @SuppressWarnings("unchecked")
        Object response = ((RequestHandler<Object, Object>) handler).handleRequest(request, new ProbeContext());
        Object outSerializer = serializers.getMethod("serializerFor", Class.class, ClassLoader.class)
                .invoke(null, response.getClass(), loader);
        pojo.getMethod("toJson", Object.class, OutputStream.class).invoke(outSerializer, response, out);
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Runs after the timings: its regular expressions cost the probe, not the handler. */
    private static String describe(String response) {
        Matcher status = Pattern.compile("\"statusCode\"\\s*:\\s*(\\d+)").matcher(response);
        if (status.find()) {
            return status.group(1);
        }
        if (response.contains("batchItemFailures")) {
            return "failures:" + Pattern.compile("itemIdentifier").matcher(response).results().count();
        }
        return response;
    }

    private static final class ProbeContext implements Context {
        private final String requestId = "probe-request";
        private final long deadline = System.currentTimeMillis() + 30_000;

        @Override public String getAwsRequestId() { return requestId; }
        @Override public String getLogGroupName() { return "/aws/lambda/probe"; }
        @Override public String getLogStreamName() { return "probe"; }
        @Override public String getFunctionName() { return "probe"; }
        @Override public String getFunctionVersion() { return "$LATEST"; }
        @Override public String getInvokedFunctionArn() { return "arn:aws:lambda:us-east-1:123456789012:function:probe"; }
        @Override public CognitoIdentity getIdentity() { return null; }
        @Override public ClientContext getClientContext() { return null; }
        @Override public int getRemainingTimeInMillis() { return (int) Math.max(0, deadline - System.currentTimeMillis()); }
        @Override public int getMemoryLimitInMB() { return 1024; }
        @Override public LambdaLogger getLogger() {
            return new LambdaLogger() {
                @Override public void log(String message) { System.err.println(message); }
                @Override public void log(byte[] message) { System.err.write(message, 0, message.length); }
            };
        }
    }
}
