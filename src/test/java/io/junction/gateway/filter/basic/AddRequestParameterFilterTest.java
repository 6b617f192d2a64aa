package io.junction.gateway.filter.basic;

import static io.junction.gateway.filter.FilterTestBed.fails;
import static org.assertj.core.api.Assertions.assertThat;

import io.junction.gateway.filter.FilterTestBed;
import org.junit.jupiter.api.Test;

class AddRequestParameterFilterTest {

  @Test
  void addsToAMissingQuery() {
    try (FilterTestBed bed = FilterTestBed.with("AddRequestParameter=red, blue").start()) {
      bed.get("/any");
      assertThat(bed.outgoing().query()).isEqualTo("red=blue");
    }
  }

  @Test
  void appendsAfterTheClientsParametersKeepingSameNamedOnes() {
    try (FilterTestBed bed = FilterTestBed.with("AddRequestParameter=red, blue").start()) {
      bed.get("/any?red=green&x=1");
      assertThat(bed.outgoing().query()).isEqualTo("red=green&x=1&red=blue");
    }
  }

  @Test
  void valueUsesUriVariablesAndIsEncoded() {
    try (FilterTestBed bed = FilterTestBed.with("AddRequestParameter=foo, bar {segment}&more")
        .predicate("Path=/red/{segment}").start()) {
      bed.get("/red/sky");
      assertThat(bed.outgoing().query()).isEqualTo("foo=bar+sky%26more");
    }
  }

  @Test
  void badConfig() {
    fails("AddRequestParameter").hasMessageContaining("missing required argument 'name'");
    fails("AddRequestParameter=red").hasMessageContaining("missing required argument 'value'");
  }
}
