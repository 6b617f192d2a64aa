package io.junction.gateway.route.predicate;

import static io.junction.gateway.route.predicate.Predicates.expanded;
import static io.junction.gateway.route.predicate.Predicates.failsShortcut;
import static io.junction.gateway.route.predicate.Predicates.shortcutAt;
import static io.junction.gateway.route.predicate.Predicates.test;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class AfterPredicateTest {

  private static final String SPRING_EXAMPLE = "After=2017-01-20T17:42:47.789-07:00[America/Denver]";
  /** The example's instant in UTC (Denver is UTC-7 in January). */
  private static final Instant INSTANT = Instant.parse("2017-01-21T00:42:47.789Z");

  private static boolean at(Instant now, String shortcut) {
    return test(shortcutAt(now, shortcut), new TestRequest());
  }

  @Test
  void springExampleMatchesOnlyStrictlyAfterTheInstant() {
    assertThat(at(INSTANT.plusMillis(1), SPRING_EXAMPLE)).isTrue();
    assertThat(at(INSTANT, SPRING_EXAMPLE)).isFalse();
    assertThat(at(INSTANT.minusSeconds(3600), SPRING_EXAMPLE)).isFalse();
  }

  @Test
  void acceptsOffsetOnlyUtcAndEpochMillis() {
    assertThat(at(INSTANT.plusMillis(1), "After=2017-01-20T17:42:47.789-07:00")).isTrue();
    assertThat(at(INSTANT.plusMillis(1), "After=2017-01-21T00:42:47.789Z")).isTrue();
    assertThat(at(INSTANT.plusMillis(1), "After=" + INSTANT.toEpochMilli())).isTrue();
    assertThat(at(INSTANT, "After=" + INSTANT.toEpochMilli())).isFalse();
  }

  @Test
  void expandedFormWithANumber() {
    RoutePredicate after = expanded("{\"name\":\"After\",\"args\":{\"datetime\":0}}");
    assertThat(test(after, new TestRequest())).isTrue();
  }

  @Test
  void badConfig() {
    failsShortcut("After").hasMessageContaining("missing required argument 'datetime'");
    failsShortcut("After=yesterday").hasMessageContaining("argument 'datetime': bad date 'yesterday'");
    failsShortcut("After=2017-01-20").hasMessageContaining("bad date");
    failsShortcut("After=2017-01-20T17:42:47.789-07:00[Mars/Olympus]").hasMessageContaining("bad date");
  }
}
