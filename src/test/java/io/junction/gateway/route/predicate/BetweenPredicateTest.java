package io.junction.gateway.route.predicate;

import static io.junction.gateway.route.predicate.Predicates.failsShortcut;
import static io.junction.gateway.route.predicate.Predicates.shortcutAt;
import static io.junction.gateway.route.predicate.Predicates.test;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class BetweenPredicateTest {

  private static final String SPRING_EXAMPLE = "Between=2017-01-20T17:42:47.789-07:00[America/Denver], "
      + "2017-01-21T17:42:47.789-07:00[America/Denver]";
  private static final Instant START = Instant.parse("2017-01-21T00:42:47.789Z");
  private static final Instant END = Instant.parse("2017-01-22T00:42:47.789Z");

  private static boolean at(Instant now) {
    return test(shortcutAt(now, SPRING_EXAMPLE), new TestRequest());
  }

  @Test
  void springExampleMatchesInsideTheWindowOnly() {
    assertThat(at(START.plusSeconds(3600))).isTrue();
    assertThat(at(END.minusMillis(1))).isTrue();
    assertThat(at(START)).isFalse();
    assertThat(at(END)).isFalse();
    assertThat(at(START.minusSeconds(1))).isFalse();
    assertThat(at(END.plusSeconds(1))).isFalse();
  }

  @Test
  void mixesDateForms() {
    String mixed = "Between=" + START.toEpochMilli() + ", 2017-01-22T00:42:47.789Z";
    assertThat(test(shortcutAt(START.plusMillis(1), mixed), new TestRequest())).isTrue();
  }

  @Test
  void badConfig() {
    failsShortcut("Between=2017-01-20T17:42:47.789-07:00[America/Denver]")
        .hasMessageContaining("missing required argument 'datetime2'");
    failsShortcut("Between=2017-01-22T00:00:00Z, 2017-01-21T00:00:00Z")
        .hasMessageContaining("argument 'datetime2': must be after datetime1");
    failsShortcut("Between=2017-01-22T00:00:00Z, 2017-01-22T00:00:00Z").hasMessageContaining("must be after");
    failsShortcut("Between=soon, later").hasMessageContaining("argument 'datetime1': bad date 'soon'");
  }
}
