package io.junction.gateway.filter.basic;

import static io.junction.gateway.filter.FilterTestBed.fails;
import static org.assertj.core.api.Assertions.assertThat;

import io.junction.gateway.filter.FilterTestBed;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class SetResponseHeaderFilterTest {

  @Test
  void replacesEveryLineTheUpstreamSent() {
    try (FilterTestBed bed = FilterTestBed.with("SetResponseHeader=X-Response-Red, Blue")
        .upstreamHeader("X-Response-Red", "1").upstreamHeader("x-response-red", "2").start()) {
      HttpResponse<String> response = bed.get("/any");
      assertThat(response.headers().allValues("X-Response-Red")).containsExactly("Blue");
    }
  }

  @Test
  void addsItWhenAbsentWithUriVariables() {
    try (FilterTestBed bed = FilterTestBed.with("SetResponseHeader=foo, bar-{segment}")
        .predicate("Path=/red/{segment}").start()) {
      assertThat(bed.get("/red/sky").headers().allValues("foo")).containsExactly("bar-sky");
    }
  }

  @Test
  void badConfig() {
    fails("SetResponseHeader=X-Red").hasMessageContaining("missing required argument 'value'");
    fails("SetResponseHeader").hasMessageContaining("missing required argument 'name'");
  }
}
