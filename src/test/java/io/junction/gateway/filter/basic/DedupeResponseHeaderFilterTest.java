package io.junction.gateway.filter.basic;

import static io.junction.gateway.filter.FilterTestBed.fails;
import static org.assertj.core.api.Assertions.assertThat;

import io.junction.gateway.filter.FilterTestBed;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class DedupeResponseHeaderFilterTest {

  private static FilterTestBed bed(String filter) {
    return FilterTestBed.with(filter)
        .upstreamHeader("Access-Control-Allow-Origin", "https://musk.mars")
        .upstreamHeader("Access-Control-Allow-Origin", "https://earth.org")
        .upstreamHeader("Access-Control-Allow-Origin", "https://musk.mars")
        .upstreamHeader("Access-Control-Allow-Credentials", "true")
        .upstreamHeader("Access-Control-Allow-Credentials", "false")
        .upstreamHeader("Vary", "Origin")
        .upstreamHeader("Vary", "Accept")
        .start();
  }

  @Test
  void retainsTheFirstLineByDefaultForEachSpaceSeparatedName() {
    try (FilterTestBed bed = bed("DedupeResponseHeader=Access-Control-Allow-Credentials access-control-allow-origin")) {
      HttpResponse<String> response = bed.get("/any");
      assertThat(response.headers().allValues("Access-Control-Allow-Origin")).containsExactly("https://musk.mars");
      assertThat(response.headers().allValues("Access-Control-Allow-Credentials")).containsExactly("true");
      assertThat(response.headers().allValues("Vary")).containsExactly("Origin", "Accept");
    }
  }

  @Test
  void retainLast() {
    try (FilterTestBed bed = bed("DedupeResponseHeader=Access-Control-Allow-Credentials, RETAIN_LAST")) {
      assertThat(bed.get("/any").headers().allValues("Access-Control-Allow-Credentials")).containsExactly("false");
    }
  }

  @Test
  void retainUniqueKeepsFirstSeenOrder() {
    try (FilterTestBed bed = bed("DedupeResponseHeader=Access-Control-Allow-Origin, RETAIN_UNIQUE")) {
      assertThat(bed.get("/any").headers().allValues("Access-Control-Allow-Origin"))
          .containsExactly("https://musk.mars", "https://earth.org");
    }
  }

  @Test
  void badConfig() {
    fails("DedupeResponseHeader").hasMessageContaining("missing required argument 'name'");
    fails("DedupeResponseHeader=X-A, RETAIN_SOME")
        .hasMessageContaining("argument 'strategy': unknown strategy 'RETAIN_SOME'")
        .hasMessageContaining("RETAIN_FIRST, RETAIN_LAST or RETAIN_UNIQUE");
    fails("DedupeResponseHeader=X-A;X-B").hasMessageContaining("bad header name 'X-A;X-B'")
        .hasMessageContaining("separate several names with spaces");
  }
}
