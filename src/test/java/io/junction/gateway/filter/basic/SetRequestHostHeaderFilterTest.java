package io.junction.gateway.filter.basic;

import static io.junction.gateway.filter.FilterTestBed.fails;
import static org.assertj.core.api.Assertions.assertThat;

import io.junction.gateway.filter.FilterTestBed;
import org.junit.jupiter.api.Test;

class SetRequestHostHeaderFilterTest {

  @Test
  void asksTheProxyToSendThisHost() {
    try (FilterTestBed bed = FilterTestBed.with("SetRequestHostHeader=example.org:8443").start()) {
      bed.get("/headers");
      assertThat(bed.outgoing().hostOverride()).isEqualTo("example.org:8443");
    }
  }

  @Test
  void hostUsesUriVariables() {
    try (FilterTestBed bed = FilterTestBed.with("SetRequestHostHeader={tenant}.example.org")
        .predicate("Path=/t/{tenant}/**").start()) {
      bed.get("/t/acme/orders");
      assertThat(bed.outgoing().hostOverride()).isEqualTo("acme.example.org");
    }
  }

  @Test
  void badConfig() {
    fails("SetRequestHostHeader").hasMessageContaining("missing required argument 'host'");
    fails("SetRequestHostHeader=example.org/path").hasMessageContaining("argument 'host': expected a host or host:port");
    fails("SetRequestHostHeader=user@example.org").hasMessageContaining("expected a host or host:port");
  }
}
