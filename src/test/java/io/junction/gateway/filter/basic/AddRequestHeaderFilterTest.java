package io.junction.gateway.filter.basic;

import static io.junction.gateway.filter.FilterTestBed.error;
import static io.junction.gateway.filter.FilterTestBed.fails;
import static io.junction.gateway.filter.FilterTestBed.failsJson;
import static org.assertj.core.api.Assertions.assertThat;

import io.junction.gateway.filter.FilterTestBed;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class AddRequestHeaderFilterTest {

  @Test
  void addsALineAndKeepsTheClientsOwn() {
    try (FilterTestBed bed = FilterTestBed.with("AddRequestHeader=X-Request-Red, Blue").start()) {
      bed.send(bed.request("/any").header("x-request-red", "Green"));
      assertThat(bed.outgoing().headers().getAll("X-Request-Red")).containsExactly("Green", "Blue");
    }
  }

  @Test
  void valueUsesUriVariablesOfThePathPredicate() {
    try (FilterTestBed bed = FilterTestBed.with("AddRequestHeader=X-Request-Red, Blue-{segment}")
        .predicate("Path=/red/{segment}").start()) {
      bed.get("/red/sky");
      assertThat(bed.outgoing().header("X-Request-Red")).isEqualTo("Blue-sky");
    }
  }

  @Test
  void aVariableTheRouteNeverCapturesIsA500NamingIt() {
    try (FilterTestBed bed = FilterTestBed.with("AddRequestHeader=X-Request-Red, Blue-{colour}")
        .predicate("Path=/red/{segment}").start()) {
      HttpResponse<String> response = bed.get("/red/sky");
      assertThat(response.statusCode()).isEqualTo(500);
      assertThat(error(response).getString("error")).isEqualTo("internal_error");
      assertThat(error(response).getString("message")).contains("AddRequestHeader", "'colour'");
      assertThat(bed.outgoing()).isNull();
    }
  }

  @Test
  void bracesAroundSomethingThatIsNotAVariableNameStayLiteral() {
    try (FilterTestBed bed = FilterTestBed.withJson(
        "{\"name\":\"AddRequestHeader\",\"args\":{\"name\":\"X-Json\",\"value\":\"{\\\"a\\\":1}\"}}").start()) {
      bed.get("/any");
      assertThat(bed.outgoing().header("X-Json")).isEqualTo("{\"a\":1}");
    }
  }

  @Test
  void badConfig() {
    fails("AddRequestHeader").hasMessageContaining("missing required argument 'name'");
    fails("AddRequestHeader=X-Red").hasMessageContaining("missing required argument 'value'");
    fails("AddRequestHeader=X Red, blue").hasMessageContaining("argument 'name': bad header name 'X Red'");
    fails("AddRequestHeader=X-Red, a, b").hasMessageContaining("too many arguments");
    failsJson("{\"name\":\"AddRequestHeader\",\"args\":{\"name\":\"X-Red\",\"value\":\"a\\r\\nX-Evil: 1\"}}")
        .hasMessageContaining("argument 'value'").hasMessageContaining("control characters");
    failsJson("{\"name\":\"AddRequestHeader\",\"args\":{\"name\":\"X-Red\",\"valeu\":\"a\"}}")
        .hasMessageContaining("unknown argument 'valeu'");
  }
}
