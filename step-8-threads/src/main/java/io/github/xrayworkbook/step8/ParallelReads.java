package io.github.xrayworkbook.step8;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/** The work every handler of this step does: the same read, {@value #COUNT} times at once. */
final class ParallelReads {

    static final int COUNT = 3;

    private ParallelReads() {
    }

    // tag::run[]
    /** Runs {@code read} {@value #COUNT} times on {@code executor}, each as {@code task} wraps it. */
    static List<String> run(Supplier<String> read, Executor executor, UnaryOperator<Supplier<String>> task) {
        List<CompletableFuture<String>> reads = Stream.generate(() -> CompletableFuture.supplyAsync(task.apply(read), executor))
                .limit(COUNT).toList();
        return reads.stream().map(CompletableFuture::join).toList();
    }
    // end::run[]
}
