package io.junction.gateway.filter.basic;

import static io.junction.gateway.filter.FilterTestBed.fails;
import static org.assertj.core.api.Assertions.assertThat;

import io.junction.gateway.filter.FilterTestBed;
import org.junit.jupiter.api.Test;

class PreserveHostHeaderFilterTest {

  @Test
  void asksTheProxyToSendTheClientsHost() {
    try (FilterTestBed bed = FilterTestBed.with("PreserveHostHeader").start()) {
      bed.get("/any");
      assertThat(bed.outgoing().preserveHost()).isTrue();
      assertThat(bed.outgoing().hostOverride()).isNull();
    }
  }

  @Test
  void withoutItTheHostIsNotPreserved() {
    try (FilterTestBed bed = FilterTestBed.with("RemoveRequestHeader=X-Unused").start()) {
      bed.get("/any");
      assertThat(bed.outgoing().preserveHost()).isFalse();
    }
  }

  @Test
  void badConfig() {
    fails("PreserveHostHeader=true").hasMessageContaining("PreserveHostHeader takes no arguments");
  }
}
