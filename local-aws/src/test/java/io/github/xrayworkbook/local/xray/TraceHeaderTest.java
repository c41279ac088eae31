package io.github.xrayworkbook.local.xray;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Optional;
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

    @Test
    void readsWhatACallerOrAMessageCarries() {
        TraceHeader.Received full = TraceHeader.parse(
                "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1;Lineage=a87bd80c:1|68fd508a:5");
        assertThat(full).isEqualTo(new TraceHeader.Received("1-5759e988-bd862e3fe1be46a994272793",
                Optional.of("53995c3f42cd8ad8"), Optional.of(true)));
        assertThat(full.under("0123456789abcdef", false))
                .hasToString("Root=1-5759e988-bd862e3fe1be46a994272793;Parent=0123456789abcdef;Sampled=1");

        TraceHeader.Received rootOnly = TraceHeader.parse(" Root=1-5759e988-bd862e3fe1be46a994272793 ");
        assertThat(rootOnly.parent()).isEmpty();
        assertThat(rootOnly.sampled()).isEmpty();
        assertThat(rootOnly.under("0123456789abcdef", true).sampled()).isTrue();
        assertThat(TraceHeader.parse("Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=?").sampled()).isEmpty();
        assertThat(TraceHeader.parse("Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=0").sampled()).contains(false);
    }

    @Test
    void saysWhatIsWrongWithAMalformedHeader() {
        assertThatThrownBy(() -> TraceHeader.parse("Parent=53995c3f42cd8ad8;Sampled=1"))
                .hasMessage("'Parent=53995c3f42cd8ad8;Sampled=1' is not a trace header: it has no Root=1-...");
        assertThatThrownBy(() -> TraceHeader.parse("Root=1-5759e988-bd86"))
                .hasMessage("'Root=1-5759e988-bd86' is not a trace header: its Root must be 1-<8 hex digits>-<24 hex"
                        + " digits>, not '1-5759e988-bd86'");
        assertThatThrownBy(() -> TraceHeader.parse("Root=1-5759e988-bd862e3fe1be46a994272793;Parent=xyz"))
                .hasMessageEndingWith("its Parent must be 16 hex digits, not 'xyz'");
        assertThatThrownBy(() -> TraceHeader.parse("Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=yes"))
                .hasMessageEndingWith("Sampled must be 1, 0 or ?, not 'yes'");
    }
}
