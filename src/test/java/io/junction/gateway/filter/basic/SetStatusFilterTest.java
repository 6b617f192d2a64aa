package io.junction.gateway.filter.basic;

import static io.junction.gateway.filter.FilterTestBed.fails;
import static org.assertj.core.api.Assertions.assertThat;

import io.junction.gateway.filter.FilterTestBed;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class SetStatusFilterTest {

  @Test
  void replacesTheUpstreamStatusAndKeepsTheBody() {
    try (FilterTestBed bed = FilterTestBed.with("SetStatus=401").upstreamStatus(200).start()) {
      HttpResponse<String> response = bed.get("/any");
      assertThat(response.statusCode()).isEqualTo(401);
      assertThat(response.body()).isEqualTo("upstream body");
      assertThat(response.headers().firstValue("original-http-status")).isEmpty();
    }
  }

  @Test
  void statusMayBeASpringHttpStatusName() {
    try (FilterTestBed bed = FilterTestBed.with("SetStatus=UNAUTHORIZED").start()) {
      assertThat(bed.get("/any").statusCode()).isEqualTo(401);
    }
    try (FilterTestBed bed = FilterTestBed.with("SetStatus=bad_request").start()) {
      assertThat(bed.get("/any").statusCode()).isEqualTo(400);
    }
  }

  @Test
  void canSendTheOriginalStatusInAHeader() {
    try (FilterTestBed bed = FilterTestBed.with("SetStatus=200, original-http-status").upstreamStatus(404).start()) {
      HttpResponse<String> response = bed.get("/any");
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("original-http-status")).hasValue("404");
    }
  }

  @Test
  void badConfig() {
    fails("SetStatus").hasMessageContaining("missing required argument 'status'");
    fails("SetStatus=NOPE").hasMessageContaining("argument 'status': unknown status 'NOPE'");
    fails("SetStatus=99").hasMessageContaining("argument 'status': must be a final status from 200 to 599, not 99");
    fails("SetStatus=600").hasMessageContaining("must be a final status from 200 to 599");
    fails("SetStatus=CONTINUE").hasMessageContaining("must be a final status");
    fails("SetStatus=200, bad header").hasMessageContaining("argument 'originalStatusHeaderName': bad header name");
  }
}
