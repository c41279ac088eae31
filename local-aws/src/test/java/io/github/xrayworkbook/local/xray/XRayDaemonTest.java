package io.github.xrayworkbook.local.xray;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class XRayDaemonTest {

    private static final String HEADER = "{\"format\": \"json\", \"version\": 1}\n";
    private static final Duration WAIT = Duration.ofSeconds(5);

    private final XRayDaemon daemon = XRayDaemon.start(0, 1024);

    @AfterEach
    void stop() {
        daemon.close();
    }

    @Test
    void keepsEachDocumentSentWithTheProtocolHeader() throws IOException {
        send(HEADER + "{\"name\":\"S3\",\"id\":\"0123456789abcdef\",\"trace_id\":\"1-a-b\"}");
        send(HEADER + "{\"name\":\"other\",\"id\":\"fedcba9876543210\",\"trace_id\":\"1-c-d\"}");

        assertThat(daemon.sync(WAIT)).isTrue();
        assertThat(daemon.documents()).extracting(SegmentDocument::name).containsExactly("S3", "other");
        assertThat(daemon.documents("1-a-b")).singleElement()
                .satisfies(d -> assertThat(d.id()).isEqualTo("0123456789abcdef"));
        assertThat(daemon.rejections().total()).isZero();
    }

    @Test
    void countsGarbageAndCarriesOn() throws IOException {
        send("no header at all");
        send("{\"format\": \"xml\", \"version\": 1}\n{}");
        send(HEADER + "{truncated");
        send(HEADER + "[1, 2]");
        send(HEADER + "{\"name\":\"still works\"}");

        assertThat(daemon.sync(WAIT)).isTrue();
        assertThat(daemon.rejections().garbage()).isEqualTo(4);
        assertThat(daemon.rejections().lastReason()).isEqualTo("body is not a JSON object");
        assertThat(daemon.documents()).extracting(SegmentDocument::name).containsExactly("still works");
    }

    @Test
    void countsOversizedDatagramsAndCarriesOn() throws IOException {
        send(HEADER + "{\"name\":\"" + "x".repeat(2000) + "\"}");
        send(HEADER + "{\"name\":\"small\"}");

        assertThat(daemon.sync(WAIT)).isTrue();
        assertThat(daemon.rejections().oversized()).isEqualTo(1);
        assertThat(daemon.rejections().lastReason()).isEqualTo("datagram larger than 1024 bytes");
        assertThat(daemon.documents()).extracting(SegmentDocument::name).containsExactly("small");
    }

    @Test
    void refusesAPortInUseWithAnExplanation() {
        assertThatThrownBy(() -> XRayDaemon.start(daemon.port()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("UDP port " + daemon.port() + " on 127.0.0.1 is in use:"
                        + " stop whatever holds it (another X-Ray daemon?) or choose another port");
    }

    @Test
    void givesTheAddressInTheSdkFormat() {
        assertThat(daemon.address()).isEqualTo("127.0.0.1:" + daemon.port());
    }

    private void send(String datagram) throws IOException {
        byte[] bytes = datagram.getBytes(StandardCharsets.UTF_8);
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.send(new DatagramPacket(bytes, bytes.length, InetAddress.getLoopbackAddress(), daemon.port()));
        }
    }
}
