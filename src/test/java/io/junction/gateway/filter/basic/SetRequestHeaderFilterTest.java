package io.junction.gateway.filter.basic;

import static io.junction.gateway.filter.FilterTestBed.fails;
import static org.assertj.core.api.Assertions.assertThat;

import io.junction.gateway.filter.FilterTestBed;
import org.junit.jupiter.api.Test;

class SetRequestHeaderFilterTest {

  @Test
  void replacesEveryLineTheClientSent() {
    try (FilterTestBed bed = FilterTestBed.with("SetRequestHeader=X-Request-Red, Blue").start()) {
      bed.send(bed.request("/any").header("x-request-red", "1").header("X-Request-Red", "2"));
      assertThat(bed.outgoing().headers().getAll("X-Request-Red")).containsExactly("Blue");
    }
  }

  @Test
  void addsItWhenAbsentWithUriVariables() {
    try (FilterTestBed bed = FilterTestBed.with("SetRequestHeader=foo, bar-{segment}")
        .predicate("Path=/red/{segment}").start()) {
      bed.get("/red/sky");
      assertThat(bed.outgoing().headers().getAll("foo")).containsExactly("bar-sky");
    }
  }

  @Test
  void badConfig() {
    fails("SetRequestHeader").hasMessageContaining("missing required argument 'name'");
    fails("SetRequestHeader=X-Red").hasMessageContaining("missing required argument 'value'");
    fails("SetRequestHeader=X(Red), 1").hasMessageContaining("bad header name");
  }
}
