package io.junction.gateway.filter.basic;

import static io.junction.gateway.filter.FilterTestBed.fails;
import static org.assertj.core.api.Assertions.assertThat;

import io.junction.gateway.filter.FilterTestBed;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class RemoveResponseHeaderFilterTest {

  @Test
  void removesEveryLineIgnoringCase() {
    try (FilterTestBed bed = FilterTestBed.with("RemoveResponseHeader=X-Response-Foo")
        .upstreamHeader("X-Response-Foo", "1").upstreamHeader("x-response-foo", "2")
        .upstreamHeader("X-Keep", "k").start()) {
      HttpResponse<String> response = bed.get("/any");
      assertThat(response.headers().allValues("X-Response-Foo")).isEmpty();
      assertThat(response.headers().firstValue("X-Keep")).hasValue("k");
    }
  }

  @Test
  void badConfig() {
    fails("RemoveResponseHeader").hasMessageContaining("missing required argument 'name'");
    fails("RemoveResponseHeader=X/Foo").hasMessageContaining("bad header name 'X/Foo'");
  }
}
