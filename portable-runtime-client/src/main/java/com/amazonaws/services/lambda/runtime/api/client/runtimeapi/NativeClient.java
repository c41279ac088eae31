package com.amazonaws.services.lambda.runtime.api.client.runtimeapi;

import static com.amazonaws.services.lambda.runtime.api.client.runtimeapi.LambdaRuntimeApiClientImpl.USER_AGENT;

import com.amazonaws.services.lambda.runtime.api.client.runtimeapi.dto.InvocationRequest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * A pure-Java stand-in for the runtime interface client's JNI-backed class of the same name, for
 * machines where its Linux-only native library cannot load (macOS, Windows). Placed first on the
 * classpath, it shadows the original; the rest of the client (handler loading, serialisation, the
 * context, the X-Ray trace property, error reports) is the real code, unchanged.
 *
 * <p>It makes the two calls the native library makes, with the same headers and nothing more:
 * {@code GET invocation/next}, read into an {@link InvocationRequest}, and
 * {@code POST invocation/{id}/response}. See AWS's Runtime API reference:
 * https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html
 */
final class NativeClient {

    private static HttpClient http;
    private static String invocationUrl;

    private NativeClient() {
    }

    static void init(String awsLambdaRuntimeApi) {
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        invocationUrl = "http://" + awsLambdaRuntimeApi + "/2018-06-01/runtime/invocation/";
    }

    static InvocationRequest next() {
        HttpRequest request = HttpRequest.newBuilder(URI.create(invocationUrl + "next"))
                .header("User-Agent", USER_AGENT)
                .GET()
                .build();
        HttpResponse<byte[]> response = send(request, "get the next invocation");
        HttpHeaders headers = response.headers();
        InvocationRequest invocation = new InvocationRequest();
        invocation.setId(headers.firstValue("Lambda-Runtime-Aws-Request-Id").orElseThrow(() ->
                new LambdaRuntimeClientException("The Runtime API sent an event without a request id",
                        response.statusCode())));
        invocation.setXrayTraceId(headers.firstValue("Lambda-Runtime-Trace-Id").orElse(null));
        invocation.setInvokedFunctionArn(headers.firstValue("Lambda-Runtime-Invoked-Function-Arn").orElse(null));
        invocation.setDeadlineTimeInMs(headers.firstValueAsLong("Lambda-Runtime-Deadline-Ms").orElse(0));
        invocation.setClientContext(headers.firstValue("Lambda-Runtime-Client-Context").orElse(null));
        invocation.setCognitoIdentity(headers.firstValue("Lambda-Runtime-Cognito-Identity").orElse(null));
        invocation.setTenantId(headers.firstValue("Lambda-Runtime-Aws-Tenant-Id").orElse(null));
        invocation.setContent(response.body());
        return invocation;
    }

    static void postInvocationResponse(byte[] requestId, byte[] response) {
        String id = new String(requestId, java.nio.charset.StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(URI.create(invocationUrl + id + "/response"))
                .header("User-Agent", USER_AGENT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(response))
                .build();
        send(request, "post the response of " + id);
    }

    private static HttpResponse<byte[]> send(HttpRequest request, String what) {
        try {
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() / 100 != 2) {
                throw new LambdaRuntimeClientException("Failed to " + what + ": HTTP " + response.statusCode(),
                        response.statusCode());
            }
            return response;
        } catch (IOException e) {
            throw new LambdaRuntimeClientException("Failed to " + what + ": " + e, -1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LambdaRuntimeClientException("Interrupted while trying to " + what, -1);
        }
    }
}
