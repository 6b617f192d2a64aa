package io.junction.gateway.filter.basic;

import static io.junction.gateway.filter.FilterTestBed.fails;
import static org.assertj.core.api.Assertions.assertThat;

import io.junction.gateway.filter.FilterTestBed;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class RewriteResponseHeaderFilterTest {

  @Test
  void springExample() {
    try (FilterTestBed bed = FilterTestBed.with("RewriteResponseHeader=X-Response-Red, password=[^&]+, password=***")
        .upstreamHeader("X-Response-Red", "/42?user=ford&password=omg!what&flag=true").start()) {
      assertThat(bed.get("/any").headers().firstValue("X-Response-Red"))
          .hasValue("/42?user=ford&password=***&flag=true");
    }
  }

  @Test
  void rewritesEveryLineWithGroupReferences() {
    try (FilterTestBed bed = FilterTestBed.with("RewriteResponseHeader=Set-Cookie, Domain=(?<d>[^;]+), Domain=gw.$\\{d}")
        .upstreamHeader("Set-Cookie", "a=1; Domain=internal")
        .upstreamHeader("Set-Cookie", "b=2; Domain=other")
        .upstreamHeader("Set-Cookie", "c=3").start()) {
      HttpResponse<String> response = bed.get("/any");
      assertThat(response.headers().allValues("Set-Cookie"))
          .containsExactly("a=1; Domain=gw.internal", "b=2; Domain=gw.other", "c=3");
    }
  }

  @Test
  void anAbsentHeaderStaysAbsent() {
    try (FilterTestBed bed = FilterTestBed.with("RewriteResponseHeader=X-Gone, .*, x").start()) {
      assertThat(bed.get("/any").headers().allValues("X-Gone")).isEmpty();
    }
  }

  @Test
  void badConfig() {
    fails("RewriteResponseHeader=X-A, [, x").hasMessageContaining("argument 'regexp': bad regexp '['");
    fails("RewriteResponseHeader=X-A, (a)").hasMessageContaining("missing required argument 'replacement'");
    fails("RewriteResponseHeader=X-A, (a), $3").hasMessageContaining("argument 'replacement': bad replacement '$3'");
    fails("RewriteResponseHeader").hasMessageContaining("missing required argument 'name'");
  }
}
