package io.junction.gateway.route.predicate;

import static io.junction.gateway.route.predicate.Predicates.failsShortcut;
import static io.junction.gateway.route.predicate.Predicates.shortcutAt;
import static io.junction.gateway.route.predicate.Predicates.test;
import static org.assertj.core.api.Assertions.assertThat;

import io.junction.gateway.route.definition.ItemDefinition;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class BeforePredicateTest {

  private static final String SPRING_EXAMPLE = "Before=2017-01-20T17:42:47.789-07:00[America/Denver]";
  private static final Instant INSTANT = Instant.parse("2017-01-21T00:42:47.789Z");

  private static boolean at(Instant now) {
    return test(shortcutAt(now, SPRING_EXAMPLE), new TestRequest());
  }

  @Test
  void springExampleMatchesOnlyStrictlyBeforeTheInstant() {
    assertThat(at(INSTANT.minusMillis(1))).isTrue();
    assertThat(at(INSTANT)).isFalse();
    assertThat(at(INSTANT.plusSeconds(1))).isFalse();
  }

  @Test
  void readsTheClockOnEveryRequest() throws Exception {
    // one predicate, built once at config time, must keep up with time passing
    MutableClock clock = new MutableClock(INSTANT.minusMillis(1));
    RoutePredicate before = new BeforePredicate.Factory(clock)
        .create(ItemDefinition.parseShortcut(SPRING_EXAMPLE));
    assertThat(test(before, new TestRequest())).isTrue();
    clock.set(INSTANT.plusMillis(1));
    assertThat(test(before, new TestRequest())).isFalse();
  }

  @Test
  void badConfig() {
    failsShortcut("Before=2017-13-01T00:00:00Z").hasMessageContaining("bad date");
  }
}
