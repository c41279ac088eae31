package io.github.xrayworkbook.local.xray;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class TraceHeaderTest {

    @Test
    void writesTheHeaderAsLambdaDoes() {
        TraceHeader header = new TraceHeader("1-5759e988-bd862e3fe1be46a994272793", "53995c3f42cd8ad8", true);

        assertThat(header).hasToString("Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1");
        assertThat(new TraceHeader(header.root(), header.parent(), false).toString()).endsWith(";Sampled=0");
    }

    @Test
    void startsTraceIdsWithTheirStartTime() {
        String traceId = TraceHeader.newTraceId(Instant.ofEpochSecond(0x5759e988L));

        assertThat(traceId).matches("1-5759e988-[0-9a-f]{24}");
        assertThat(TraceHeader.newEntityId()).matches("[0-9a-f]{16}");
        assertThat(TraceHeader.newEntityId()).isNotEqualTo(TraceHeader.newEntityId());
    }
}
