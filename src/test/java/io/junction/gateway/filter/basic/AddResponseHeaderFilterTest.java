package io.junction.gateway.filter.basic;

import static io.junction.gateway.filter.FilterTestBed.fails;
import static org.assertj.core.api.Assertions.assertThat;

import io.junction.gateway.filter.FilterTestBed;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class AddResponseHeaderFilterTest {

  @Test
  void addsALineAfterTheUpstreamsOwn() {
    try (FilterTestBed bed = FilterTestBed.with("AddResponseHeader=X-Response-Red, Blue")
        .upstreamHeader("X-Response-Red", "Green").start()) {
      HttpResponse<String> response = bed.get("/any");
      assertThat(response.headers().allValues("X-Response-Red")).containsExactly("Green", "Blue");
      assertThat(response.body()).isEqualTo("upstream body");
    }
  }

  @Test
  void withoutOverrideItIsAddedOnlyWhenAbsent() {
    try (FilterTestBed bed = FilterTestBed.with("AddResponseHeader=X-Response-Black, White, false")
        .upstreamHeader("X-Response-Black", "Grey").start()) {
      assertThat(bed.get("/any").headers().allValues("X-Response-Black")).containsExactly("Grey");
    }
    try (FilterTestBed bed = FilterTestBed.with("AddResponseHeader=X-Response-Black, White, false").start()) {
      assertThat(bed.get("/any").headers().allValues("X-Response-Black")).containsExactly("White");
    }
  }

  @Test
  void valueUsesUriVariables() {
    try (FilterTestBed bed = FilterTestBed.with("AddResponseHeader=foo, bar-{segment}")
        .predicate("Path=/red/{segment}").start()) {
      assertThat(bed.get("/red/sky").headers().firstValue("foo")).hasValue("bar-sky");
    }
  }

  @Test
  void alsoShapesAnswersTheGatewayGivesItself() {
    try (FilterTestBed bed = FilterTestBed.with("AddResponseHeader=X-Served-By, junction")
        .then("RedirectTo=302, https://acme.org").start()) {
      HttpResponse<String> response = bed.get("/any");
      assertThat(response.statusCode()).isEqualTo(302);
      assertThat(response.headers().firstValue("X-Served-By")).hasValue("junction");
    }
  }

  @Test
  void badConfig() {
    fails("AddResponseHeader=X-Red").hasMessageContaining("missing required argument 'value'");
    fails("AddResponseHeader=X-Red, blue, maybe").hasMessageContaining("argument 'override': bad boolean 'maybe'");
    fails("AddResponseHeader=X:Red, blue").hasMessageContaining("bad header name 'X:Red'");
  }
}
