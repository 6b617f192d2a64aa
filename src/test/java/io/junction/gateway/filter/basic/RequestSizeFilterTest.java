package io.junction.gateway.filter.basic;

import static io.junction.gateway.filter.FilterTestBed.error;
import static io.junction.gateway.filter.FilterTestBed.fails;
import static io.junction.gateway.filter.FilterTestBed.failsJson;
import static org.assertj.core.api.Assertions.assertThat;

import io.junction.gateway.filter.FilterTestBed;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class RequestSizeFilterTest {

  @Test
  void aDeclaredLengthOverTheLimitIs413StatingTheLimit() {
    try (FilterTestBed bed = FilterTestBed.with("RequestSize=1KB").start()) {
      HttpResponse<String> response = bed.send(bed.request("/upload").POST(BodyPublishers.ofString("x".repeat(1025))));
      assertThat(response.statusCode()).isEqualTo(413);
      assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
      JsonObject error = error(response);
      assertThat(error.getString("error")).isEqualTo("payload_too_large");
      assertThat(error.getString("message")).contains("1025 bytes", "limit of 1024 bytes (1.0 KB)");
      assertThat(error.getString("requestId")).isEqualTo("req-1");
      assertThat(bed.outgoing()).isNull();
    }
  }

  @Test
  void aBodyWithinTheLimitGoesOnWithTheLimitForTheProxy() {
    try (FilterTestBed bed = FilterTestBed.with("RequestSize=1KB").start()) {
      HttpResponse<String> response = bed.send(bed.request("/upload").POST(BodyPublishers.ofString("x".repeat(1024))));
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(bed.outgoing().maxRequestBodyBytes()).isEqualTo(1024);
    }
  }

  @Test
  void aChunkedBodyIsLeftToTheProxyToCount() {
    try (FilterTestBed bed = FilterTestBed.with("RequestSize=100").start()) {
      HttpResponse<String> response = bed.send(bed.request("/upload")
          .POST(BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(new byte[10]))));
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(bed.outgoing().headers().get("Transfer-Encoding")).isEqualTo("chunked");
      assertThat(bed.outgoing().maxRequestBodyBytes()).isEqualTo(100);
    }
  }

  @Test
  void theSmallerOfTwoLimitsWins() {
    try (FilterTestBed bed = FilterTestBed.with("RequestSize=500", "RequestSize=2KB").start()) {
      bed.get("/any");
      assertThat(bed.outgoing().maxRequestBodyBytes()).isEqualTo(500);
    }
  }

  @Test
  void defaultsToSpringsFiveMillionBytes() {
    try (FilterTestBed bed = FilterTestBed.withJson("{\"name\":\"RequestSize\"}").start()) {
      bed.get("/any");
      assertThat(bed.outgoing().maxRequestBodyBytes()).isEqualTo(5_000_000);
    }
  }

  @Test
  void dataSizes() {
    assertThat(DataSizes.parse("5MB")).isEqualTo(5L * 1024 * 1024);
    assertThat(DataSizes.parse("500KB")).isEqualTo(500L * 1024);
    assertThat(DataSizes.parse("5 mb")).isEqualTo(5L * 1024 * 1024);
    assertThat(DataSizes.parse("5000000")).isEqualTo(5_000_000L);
    assertThat(DataSizes.parse(5000000)).isEqualTo(5_000_000L);
    assertThat(DataSizes.parse("1GB")).isEqualTo(1L << 30);
    assertThat(DataSizes.parse("2TB")).isEqualTo(2L << 40);
    assertThat(DataSizes.parse("12B")).isEqualTo(12L);
    assertThat(DataSizes.parse("5XB")).isNull();
    assertThat(DataSizes.parse("1.5MB")).isNull();
    assertThat(DataSizes.parse("99999999999TB")).isNull();
  }

  @Test
  void badConfig() {
    fails("RequestSize=5XB").hasMessageContaining("argument 'maxSize': bad data size '5XB'")
        .hasMessageContaining("e.g. 5MB");
    fails("RequestSize=-1").hasMessageContaining("argument 'maxSize': must be more than 0 bytes, not '-1'");
    fails("RequestSize=0").hasMessageContaining("must be more than 0 bytes");
    failsJson("{\"name\":\"RequestSize\",\"args\":{\"maxSize\":\"lots\"}}").hasMessageContaining("bad data size 'lots'");
  }
}
