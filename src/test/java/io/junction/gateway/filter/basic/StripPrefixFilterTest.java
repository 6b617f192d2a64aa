package io.junction.gateway.filter.basic;

import static io.junction.gateway.filter.FilterTestBed.fails;
import static org.assertj.core.api.Assertions.assertThat;

import io.junction.gateway.filter.FilterTestBed;
import org.junit.jupiter.api.Test;

class StripPrefixFilterTest {

  @Test
  void springExampleStripsTwoSegmentsAndKeepsTheQuery() {
    try (FilterTestBed bed = FilterTestBed.with("StripPrefix=2").predicate("Path=/name/**").start()) {
      bed.get("/name/blue/red?x=1");
      assertThat(bed.outgoing().path()).isEqualTo("/red");
      assertThat(bed.outgoing().query()).isEqualTo("x=1");
    }
  }

  @Test
  void stripsOneSegmentByDefault() {
    try (FilterTestBed bed = FilterTestBed.withJson("{\"name\":\"StripPrefix\"}").start()) {
      bed.get("/api/users/7");
      assertThat(bed.outgoing().path()).isEqualTo("/users/7");
    }
  }

  @Test
  void strippingEverySegmentLeavesRoot() {
    try (FilterTestBed bed = FilterTestBed.with("StripPrefix=3").start()) {
      bed.get("/a/b");
      assertThat(bed.outgoing().path()).isEqualTo("/");
    }
  }

  @Test
  void keepsATrailingSlash() {
    try (FilterTestBed bed = FilterTestBed.with("StripPrefix=1").start()) {
      bed.get("/api/users/");
      assertThat(bed.outgoing().path()).isEqualTo("/users/");
    }
  }

  @Test
  void zeroPartsKeepsThePath() {
    try (FilterTestBed bed = FilterTestBed.with("StripPrefix=0").start()) {
      bed.get("/api/users");
      assertThat(bed.outgoing().path()).isEqualTo("/api/users");
    }
  }

  @Test
  void worksOnTheDecodedPath() {
    try (FilterTestBed bed = FilterTestBed.with("StripPrefix=1").start()) {
      bed.get("/api/a%20b/c");
      assertThat(bed.outgoing().path()).isEqualTo("/a b/c");
    }
  }

  @Test
  void stripHandlesEmptySegments() {
    assertThat(StripPrefixFilter.strip("//a//b/c", 1)).isEqualTo("/b/c");
    assertThat(StripPrefixFilter.strip("/", 1)).isEqualTo("/");
    assertThat(StripPrefixFilter.strip("/a/", 1)).isEqualTo("/");
  }

  @Test
  void badConfig() {
    fails("StripPrefix=-1").hasMessageContaining("argument 'parts': must be 0 or more, not -1");
    fails("StripPrefix=two").hasMessageContaining("argument 'parts': bad integer 'two'");
    fails("StripPrefix=1, 2").hasMessageContaining("too many arguments");
  }
}
