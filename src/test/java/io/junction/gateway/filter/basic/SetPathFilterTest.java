package io.junction.gateway.filter.basic;

import static io.junction.gateway.filter.FilterTestBed.error;
import static io.junction.gateway.filter.FilterTestBed.fails;
import static org.assertj.core.api.Assertions.assertThat;

import io.junction.gateway.filter.FilterTestBed;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class SetPathFilterTest {

  @Test
  void springExample() {
    try (FilterTestBed bed = FilterTestBed.with("SetPath=/{segment}").predicate("Path=/red/{segment}").start()) {
      bed.get("/red/blue?x=1");
      assertThat(bed.outgoing().path()).isEqualTo("/blue");
      assertThat(bed.outgoing().query()).isEqualTo("x=1");
    }
  }

  @Test
  void severalVariablesDecoded() {
    try (FilterTestBed bed = FilterTestBed.with("SetPath=/v2/{b}/{a}").predicate("Path=/x/{a}/{b}").start()) {
      bed.get("/x/one/tw%20o");
      assertThat(bed.outgoing().path()).isEqualTo("/v2/tw o/one");
    }
  }

  @Test
  void aVariableTheRouteNeverCapturesIsA500() {
    try (FilterTestBed bed = FilterTestBed.with("SetPath=/{segmnet}").predicate("Path=/red/{segment}").start()) {
      HttpResponse<String> response = bed.get("/red/blue");
      assertThat(response.statusCode()).isEqualTo(500);
      assertThat(error(response).getString("message")).contains("SetPath", "'segmnet'");
      assertThat(bed.outgoing()).isNull();
    }
  }

  @Test
  void badConfig() {
    fails("SetPath").hasMessageContaining("missing required argument 'template'");
    fails("SetPath={segment}").hasMessageContaining("argument 'template': must start with '/'");
    fails("SetPath=/{segment}?x=1").hasMessageContaining("without '?' or '#'");
  }
}
