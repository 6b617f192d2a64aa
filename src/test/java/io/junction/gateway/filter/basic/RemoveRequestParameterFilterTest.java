package io.junction.gateway.filter.basic;

import static io.junction.gateway.filter.FilterTestBed.fails;
import static org.assertj.core.api.Assertions.assertThat;

import io.junction.gateway.filter.FilterTestBed;
import org.junit.jupiter.api.Test;

class RemoveRequestParameterFilterTest {

  @Test
  void removesEveryValueAndKeepsTheRestInOrder() {
    try (FilterTestBed bed = FilterTestBed.with("RemoveRequestParameter=red").start()) {
      bed.get("/any?red=1&blue=2&red=3&green");
      assertThat(bed.outgoing().query()).isEqualTo("blue=2&green");
    }
  }

  @Test
  void removingTheOnlyParameterLeavesNoQuery() {
    try (FilterTestBed bed = FilterTestBed.with("RemoveRequestParameter=red").start()) {
      bed.get("/any?red=1");
      assertThat(bed.outgoing().query()).isNull();
    }
  }

  @Test
  void matchesTheDecodedName() {
    try (FilterTestBed bed = FilterTestBed.with("RemoveRequestParameter=a b").start()) {
      bed.get("/any?a%20b=1&c=2");
      assertThat(bed.outgoing().query()).isEqualTo("c=2");
    }
  }

  @Test
  void badConfig() {
    fails("RemoveRequestParameter").hasMessageContaining("missing required argument 'name'");
  }
}
