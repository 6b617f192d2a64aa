package io.junction.gateway.filter.basic;

import static io.junction.gateway.filter.FilterTestBed.fails;
import static io.junction.gateway.filter.FilterTestBed.failsJson;
import static org.assertj.core.api.Assertions.assertThat;

import io.junction.gateway.filter.FilterTestBed;
import org.junit.jupiter.api.Test;

class RewritePathFilterTest {

  @Test
  void springExampleWithTheYamlEscape() {
    try (FilterTestBed bed = FilterTestBed.with("RewritePath=/red/?(?<segment>.*), /$\\{segment}").start()) {
      bed.get("/red/blue?x=1");
      assertThat(bed.outgoing().path()).isEqualTo("/blue");
      assertThat(bed.outgoing().query()).isEqualTo("x=1");
    }
  }

  @Test
  void plainJavaGroupReferencesWorkToo() {
    try (FilterTestBed bed = FilterTestBed.with("RewritePath=/api/(?<svc>[^/]+)/(.*), /${svc}/v2/$2").start()) {
      bed.get("/api/users/7/orders");
      assertThat(bed.outgoing().path()).isEqualTo("/users/v2/7/orders");
    }
  }

  @Test
  void aPathThatDoesNotMatchIsKept() {
    try (FilterTestBed bed = FilterTestBed.with("RewritePath=/red/(?<segment>.*), /$\\{segment}").start()) {
      bed.get("/green/blue");
      assertThat(bed.outgoing().path()).isEqualTo("/green/blue");
    }
  }

  @Test
  void aResultWithoutLeadingSlashGetsOne() {
    try (FilterTestBed bed = FilterTestBed.withJson(
        "{\"name\":\"RewritePath\",\"args\":{\"regexp\":\"^/red/\",\"replacement\":\"\"}}").start()) {
      bed.get("/red/blue");
      assertThat(bed.outgoing().path()).isEqualTo("/blue");
    }
  }

  @Test
  void badConfig() {
    fails("RewritePath=/red/(, /").hasMessageContaining("argument 'regexp': bad regexp '/red/('");
    fails("RewritePath=/red/(?<segment>.*), /$\\{sgement}")
        .hasMessageContaining("argument 'replacement': bad replacement '/$\\{sgement}'")
        .hasMessageContaining("sgement");
    fails("RewritePath=/red/(.*), /$2").hasMessageContaining("argument 'replacement': bad replacement");
    fails("RewritePath=/red/(.*)").hasMessageContaining("missing required argument 'replacement'");
    failsJson("{\"name\":\"RewritePath\",\"args\":{\"replacement\":\"/\"}}")
        .hasMessageContaining("missing required argument 'regexp'");
  }
}
