package io.junction.gateway.filter.basic;

import static io.junction.gateway.filter.FilterTestBed.fails;
import static io.junction.gateway.filter.FilterTestBed.failsJson;
import static org.assertj.core.api.Assertions.assertThat;

import io.junction.gateway.filter.FilterTestBed;
import org.junit.jupiter.api.Test;

class AddRequestHeadersIfNotPresentFilterTest {

  @Test
  void addsHeadersTheClientDidNotSend() {
    try (FilterTestBed bed = FilterTestBed.with(
        "AddRequestHeadersIfNotPresent=X-Request-Color-1:blue,X-Request-Color-2:green").start()) {
      bed.get("/any");
      assertThat(bed.outgoing().header("X-Request-Color-1")).isEqualTo("blue");
      assertThat(bed.outgoing().header("X-Request-Color-2")).isEqualTo("green");
    }
  }

  @Test
  void keepsWhatTheClientSentAndReplacesOnlyBlankValues() {
    try (FilterTestBed bed = FilterTestBed.with(
        "AddRequestHeadersIfNotPresent=X-Request-Color-1:blue,X-Request-Color-2:green").start()) {
      bed.send(bed.request("/any").header("x-request-color-1", "red").header("X-Request-Color-2", " "));
      assertThat(bed.outgoing().headers().getAll("X-Request-Color-1")).containsExactly("red");
      assertThat(bed.outgoing().headers().getAll("X-Request-Color-2")).containsExactly("green");
    }
  }

  @Test
  void aRepeatedNameGivesAMultiValuedHeader() {
    try (FilterTestBed bed = FilterTestBed.with(
        "AddRequestHeadersIfNotPresent=X-Request-Color-1:blue,x-request-color-1:green").start()) {
      bed.get("/any");
      assertThat(bed.outgoing().headers().getAll("X-Request-Color-1")).containsExactly("blue", "green");
    }
  }

  @Test
  void valuesUseUriVariablesAndMayContainColons() {
    try (FilterTestBed bed = FilterTestBed.with(
        "AddRequestHeadersIfNotPresent=X-Request-Red:Blue-{segment},X-Origin:http://a.example:8080")
        .predicate("Path=/red/{segment}").start()) {
      bed.get("/red/sky");
      assertThat(bed.outgoing().header("X-Request-Red")).isEqualTo("Blue-sky");
      assertThat(bed.outgoing().header("X-Origin")).isEqualTo("http://a.example:8080");
    }
  }

  @Test
  void expandedFormTakesAList() {
    try (FilterTestBed bed = FilterTestBed.withJson("{\"name\":\"AddRequestHeadersIfNotPresent\","
        + "\"args\":{\"keyValues\":[\"X-A:1\",\"X-B:2\"]}}").start()) {
      bed.get("/any");
      assertThat(bed.outgoing().header("X-A")).isEqualTo("1");
      assertThat(bed.outgoing().header("X-B")).isEqualTo("2");
    }
  }

  @Test
  void badConfig() {
    fails("AddRequestHeadersIfNotPresent").hasMessageContaining("missing required argument 'keyValues'");
    fails("AddRequestHeadersIfNotPresent=X-A:1,X-B").hasMessageContaining("expected 'name:value' but got 'X-B'");
    fails("AddRequestHeadersIfNotPresent=:blue").hasMessageContaining("expected 'name:value'");
    fails("AddRequestHeadersIfNotPresent=X-A:").hasMessageContaining("expected 'name:value'");
    fails("AddRequestHeadersIfNotPresent=X A:1").hasMessageContaining("bad header name 'X A'");
    failsJson("{\"name\":\"AddRequestHeadersIfNotPresent\",\"args\":{\"keyValues\":[{\"X-A\":\"1\"}]}}")
        .hasMessageContaining("argument 'keyValues': expected text values");
  }
}
