package com.astra.webhooks.bench;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One cold start of one Lambda handler, measured from inside a fresh JVM. Started by
 * {@link ColdStartBenchmark} as a child process whose class path is only the shaded Lambda jar
 * plus this class, i.e. what Lambda loads (minus the runtime interface client, which builds the
 * event objects from JSON with its own Jackson; here they are built in code).
 *
 * <pre>
 * args: HANDLER_CLASS TENANT [TOKEN PATH]   (TOKEN and PATH for API handlers)
 *       none                              (baseline: JVM + this probe, no handler)
 * </pre>
 *
 * Prints one line {@code PROBE main=.. constructed=.. first=.. second=.. classes=.. result=..}
 * (milliseconds: JVM start -> main, JVM start -> handler constructed, first and second
 * handleRequest). Management beans are touched only at the end so they do not count in the
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
        if ("none".equals(handlerClass)) {
            constructedNanos = System.nanoTime();
            result = "baseline";
        } else {
            String tenant = args[1];
            @SuppressWarnings("unchecked")
            RequestHandler<Object, Object> handler = (RequestHandler<Object, Object>)
                    Class.forName(handlerClass).getConstructor().newInstance();
            constructedNanos = System.nanoTime();
            boolean api = args.length >= 4;
            Object first = handler.handleRequest(api ? apiEvent(args[2], args[3]) : sqsEvent(tenant), new ProbeContext());
            firstNanos = System.nanoTime();
            Object second = handler.handleRequest(api ? apiEvent(args[2], args[3]) : sqsEvent(tenant), new ProbeContext());
            secondNanos = System.nanoTime();
            result = describe(first) + "," + describe(second);
        }
        long startEpoch = ManagementFactory.getRuntimeMXBean().getStartTime();
        int classes = (int) ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount();
        double mainMs = mainEpoch - startEpoch;
        System.out.printf("PROBE main=%.1f constructed=%.1f first=%.1f second=%.1f classes=%d result=%s%n",
                mainMs,
                mainMs + ms(constructedNanos - t0),
                firstNanos == 0 ? 0 : ms(firstNanos - constructedNanos),
                secondNanos == 0 ? 0 : ms(secondNanos - firstNanos),
                classes, result);
    }

    private static double ms(long nanos) {
        return nanos / 1_000_000.0;
    }

    private static String describe(Object response) {
        if (response instanceof APIGatewayV2HTTPResponse r) {
            return String.valueOf(r.getStatusCode());
        }
        if (response instanceof SQSBatchResponse r) {
            return "failures:" + r.getBatchItemFailures().size();
        }
        return String.valueOf(response);
    }

    /** GET PATH with a bearer token, the shape API Gateway HTTP API (payload v2) sends. */
    private static APIGatewayV2HTTPEvent apiEvent(String token, String path) {
        return APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0")
                .withRouteKey("GET " + path)
                .withRawPath(path)
                .withRawQueryString("")
                .withHeaders(Map.of("authorization", "Bearer " + token, "content-type", "application/json"))
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withAccountId("123456789012")
                        .withApiId("local")
                        .withDomainName("localhost")
                        .withRequestId(UUID.randomUUID().toString())
                        .withRouteKey("GET " + path)
                        .withStage("$default")
                        .withTimeEpoch(System.currentTimeMillis())
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                                .withMethod("GET")
                                .withPath(path)
                                .withProtocol("HTTP/1.1")
                                .withSourceIp("127.0.0.1")
                                .withUserAgent("coldstart-probe")
                                .build())
                        .build())
                .withIsBase64Encoded(false)
                .build();
    }

    /** One agent_completed event for TENANT, as the events queue delivers it. */
    private static SQSEvent sqsEvent(String tenant) {
        String id = "evt_" + UUID.randomUUID().toString().replace("-", "");
        SQSEvent.SQSMessage m = new SQSEvent.SQSMessage();
        m.setMessageId(UUID.randomUUID().toString());
        m.setReceiptHandle("probe");
        m.setBody("{\"event\": \"agent_completed\", \"tenant\": \"" + tenant + "\", \"id\": \"" + id + "\", "
                + "\"timestamp\": \"2026-11-26T12:00:00Z\", \"data\": {\"agentId\": \"agent_7\", "
                + "\"runId\": \"run_42\", \"status\": \"succeeded\", \"durationMs\": 1834}}");
        m.setAttributes(Map.of("ApproximateReceiveCount", "1", "SentTimestamp", String.valueOf(System.currentTimeMillis())));
        m.setMessageAttributes(Map.of());
        m.setEventSource("aws:sqs");
        m.setEventSourceArn("arn:aws:sqs:us-east-1:123456789012:astra-events");
        m.setAwsRegion("us-east-1");
        SQSEvent event = new SQSEvent();
        event.setRecords(List.of(m));
        return event;
    }

    private static final class ProbeContext implements Context {
        private final String requestId = UUID.randomUUID().toString();
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
