package io.github.xrayworkbook.step8.zerocode;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import io.github.xrayworkbook.step2.SampleDataReader;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;

// tag::handler[]
/** Three reads at once on a pool shared by every invocation, and not a line about tracing. */
public class ZeroCodeSharedPoolHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {

    private static final int READS = 3;

    private final SampleDataReader sampleData;
    private final ExecutorService pool = Executors.newFixedThreadPool(READS);

    public ZeroCodeSharedPoolHandler() {
        this(System.getenv());
    }

    ZeroCodeSharedPoolHandler(Map<String, String> environment) {
        this.sampleData = SampleDataReader.fromEnvironment(environment);
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        List<CompletableFuture<String>> reads = Stream.generate(
                () -> CompletableFuture.supplyAsync(sampleData::message, pool)).limit(READS).toList();
        return Map.of("statusCode", 200, "body", String.join(" ", reads.stream().map(CompletableFuture::join).toList()));
    }
}
// end::handler[]
