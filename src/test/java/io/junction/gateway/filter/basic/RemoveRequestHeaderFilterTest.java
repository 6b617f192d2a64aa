package io.junction.gateway.filter.basic;

import static io.junction.gateway.filter.FilterTestBed.fails;
import static org.assertj.core.api.Assertions.assertThat;

import io.junction.gateway.filter.FilterTestBed;
import org.junit.jupiter.api.Test;

class RemoveRequestHeaderFilterTest {

  @Test
  void removesEveryLineIgnoringCase() {
    try (FilterTestBed bed = FilterTestBed.with("RemoveRequestHeader=X-Request-Foo").start()) {
      bed.send(bed.request("/any").header("x-request-foo", "1").header("X-REQUEST-FOO", "2").header("X-Keep", "k"));
      assertThat(bed.outgoing().headers().contains("X-Request-Foo")).isFalse();
      assertThat(bed.outgoing().header("X-Keep")).isEqualTo("k");
    }
  }

  @Test
  void badConfig() {
    fails("RemoveRequestHeader").hasMessageContaining("missing required argument 'name'");
    fails("RemoveRequestHeader=X-A, X-B").hasMessageContaining("too many arguments");
  }
}
