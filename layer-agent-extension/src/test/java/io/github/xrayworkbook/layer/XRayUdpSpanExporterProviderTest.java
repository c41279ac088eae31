package io.github.xrayworkbook.layer;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.xrayworkbook.xrayudp.XRayUdpSpanExporter;
import io.opentelemetry.sdk.autoconfigure.spi.traces.ConfigurableSpanExporterProvider;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class XRayUdpSpanExporterProviderTest {

    @Test
    void isFoundByTheAgentsServiceLoaderUnderItsName() {
        assertThat(ServiceLoader.load(ConfigurableSpanExporterProvider.class))
                .filteredOn(provider -> provider.getName().equals(XRayUdpSpanExporterProvider.NAME))
                .singleElement()
                .satisfies(provider -> assertThat(provider.createExporter(null)).isInstanceOf(XRayUdpSpanExporter.class));
    }
}
