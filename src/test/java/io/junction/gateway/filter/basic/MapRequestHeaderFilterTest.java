package io.junction.gateway.filter.basic;

import static io.junction.gateway.filter.FilterTestBed.fails;
import static org.assertj.core.api.Assertions.assertThat;

import io.junction.gateway.filter.FilterTestBed;
import org.junit.jupiter.api.Test;

class MapRequestHeaderFilterTest {

  @Test
  void copiesEveryValueAfterTheTargetsOwnAndKeepsTheSource() {
    try (FilterTestBed bed = FilterTestBed.with("MapRequestHeader=Blue, X-Request-Red").start()) {
      bed.send(bed.request("/any").header("blue", "b1").header("Blue", "b2").header("X-Request-Red", "r"));
      assertThat(bed.outgoing().headers().getAll("X-Request-Red")).containsExactly("r", "b1", "b2");
      assertThat(bed.outgoing().headers().getAll("Blue")).containsExactly("b1", "b2");
    }
  }

  @Test
  void doesNothingWithoutTheSource() {
    try (FilterTestBed bed = FilterTestBed.with("MapRequestHeader=Blue, X-Request-Red").start()) {
      bed.get("/any");
      assertThat(bed.outgoing().headers().contains("X-Request-Red")).isFalse();
    }
  }

  @Test
  void badConfig() {
    fails("MapRequestHeader=Blue").hasMessageContaining("missing required argument 'toHeader'");
    fails("MapRequestHeader").hasMessageContaining("missing required argument 'fromHeader'");
    fails("MapRequestHeader=Blue, X Red").hasMessageContaining("argument 'toHeader': bad header name");
  }
}
