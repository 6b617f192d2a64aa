package io.junction.gateway.filter.basic;

import static io.junction.gateway.filter.FilterTestBed.error;
import static io.junction.gateway.filter.FilterTestBed.fails;
import static org.assertj.core.api.Assertions.assertThat;

import io.junction.gateway.filter.FilterTestBed;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class RequestHeaderSizeFilterTest {

  @Test
  void aHeaderOverTheLimitIs431NamingTheLargest() {
    try (FilterTestBed bed = FilterTestBed.with("RequestHeaderSize=100B").start()) {
      HttpResponse<String> response = bed.send(bed.request("/any")
          .header("X-Big", "b".repeat(200)).header("X-Bigger", "c".repeat(300)));
      assertThat(response.statusCode()).isEqualTo(431);
      assertThat(error(response).getString("error")).isEqualTo("header_too_large");
      assertThat(error(response).getString("message"))
          .contains("'X-Bigger' is 308 bytes", "limit of 100 bytes", "1 more header(s)");
      assertThat(bed.outgoing()).isNull();
    }
  }

  @Test
  void theLimitIsPerHeaderCountingTheNameOnceAndEveryValue() {
    try (FilterTestBed bed = FilterTestBed.with("RequestHeaderSize=100").start()) {
      // 6 headers of 65 bytes each: well over 100 together, each one under it
      HttpResponse<String> ok = bed.send(bed.request("/any").header("X-A", "a".repeat(62))
          .header("X-B", "b".repeat(62)).header("X-C", "c".repeat(62)).header("X-D", "d".repeat(62))
          .header("X-E", "e".repeat(62)).header("X-F", "f".repeat(62)));
      assertThat(ok.statusCode()).isEqualTo(200);

      // one header sent as two lines of 50: 3 + 50 + 50 = 103 bytes
      HttpResponse<String> twoLines = bed.send(bed.request("/any").header("X-A", "a".repeat(50))
          .header("x-a", "b".repeat(50)));
      assertThat(twoLines.statusCode()).isEqualTo(431);
      assertThat(error(twoLines).getString("message")).contains("'X-A' is 103 bytes").doesNotContain("more header");
    }
  }

  @Test
  void errorHeaderNameAlsoSendsTheMessageInAHeader() {
    try (FilterTestBed bed = FilterTestBed.with("RequestHeaderSize=1KB, X-Error").start()) {
      HttpResponse<String> response = bed.send(bed.request("/any").header("Cookie", "c".repeat(2000)));
      assertThat(response.statusCode()).isEqualTo(431);
      assertThat(response.headers().firstValue("X-Error").orElseThrow())
          .contains("'Cookie' is 2006 bytes", "limit of 1024 bytes (1.0 KB)");
    }
  }

  @Test
  void defaultsToSixteenThousandBytes() {
    try (FilterTestBed bed = FilterTestBed.withJson("{\"name\":\"RequestHeaderSize\"}").start()) {
      assertThat(bed.send(bed.request("/any").header("X-A", "a".repeat(15_997))).statusCode()).isEqualTo(200);
      assertThat(bed.send(bed.request("/any").header("X-A", "a".repeat(15_998))).statusCode()).isEqualTo(431);
    }
  }

  @Test
  void badConfig() {
    fails("RequestHeaderSize=big").hasMessageContaining("argument 'maxSize': bad data size 'big'");
    fails("RequestHeaderSize=0").hasMessageContaining("argument 'maxSize': must be more than 0 bytes");
    fails("RequestHeaderSize=1KB, X Error").hasMessageContaining("argument 'errorHeaderName': bad header name");
  }
}
