package com.astra.webhooks.local;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Echoes the event it got (and which function it ran as); a path containing "boom" throws, one containing "sleep" hangs. */
public class StubApiHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        if (event.getRawPath().contains("boom")) {
            throw new IllegalStateException("secret stack detail");
        }
        if (event.getRawPath().contains("sleep")) {
            try {
                Thread.sleep(120_000); // past any timeout: the runner must cut it off
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("cut off");
            }
        }
        Map<String, Object> echo = new LinkedHashMap<>();
        // the runtime names the function from its environment, one per process on Lambda; the ARN is per invoke
        String arn = context.getInvokedFunctionArn();
        echo.put("function", arn.split(":")[6]);
        echo.put("version", event.getVersion());
        echo.put("routeKey", event.getRouteKey());
        echo.put("rawPath", event.getRawPath());
        echo.put("rawQueryString", event.getRawQueryString());
        echo.put("queryStringParameters", event.getQueryStringParameters());
        echo.put("pathParameters", event.getPathParameters());
        echo.put("headers", event.getHeaders());
        echo.put("cookies", event.getCookies());
        echo.put("body", event.getBody());
        echo.put("isBase64Encoded", event.getIsBase64Encoded());
        var rc = event.getRequestContext();
        echo.put("method", rc.getHttp().getMethod());
        echo.put("path", rc.getHttp().getPath());
        echo.put("sourceIp", rc.getHttp().getSourceIp());
        echo.put("protocol", rc.getHttp().getProtocol());
        echo.put("userAgent", rc.getHttp().getUserAgent());
        echo.put("stage", rc.getStage());
        echo.put("contextRouteKey", rc.getRouteKey());
        echo.put("requestId", rc.getRequestId());
        echo.put("time", rc.getTime());
        echo.put("timeEpoch", rc.getTimeEpoch());
        try {
            return APIGatewayV2HTTPResponse.builder()
                    .withStatusCode(event.getRawPath().endsWith("/created") ? 201 : 200)
                    .withHeaders(Map.of("Content-Type", "application/json"))
                    // not part of payload v2.0: API Gateway ignores it
                    .withMultiValueHeaders(Map.of("X-Multi", List.of("a", "b")))
                    .withBody(JSON.std.asString(echo))
                    .build();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
