package io.junction.gateway.route.predicate;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.junction.gateway.route.definition.DefinitionException;
import io.junction.gateway.route.definition.ItemDefinition;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.assertj.core.api.AbstractThrowableAssert;

/** Builds predicates the way config does, from shortcut text or the expanded form. */
final class Predicates {

  /** Inside the window of Spring's documented Between example, after its After example. */
  static final Instant NOW = Instant.parse("2017-01-21T12:00:00Z");

  private Predicates() {
  }

  static PredicateRegistry registry() {
    return PredicateRegistry.defaults(Clock.fixed(NOW, ZoneOffset.UTC));
  }

  static RoutePredicate shortcut(String text) {
    return shortcutAt(NOW, text);
  }

  /** Built with a clock stopped at {@code now}. */
  static RoutePredicate shortcutAt(Instant now, String text) {
    try {
      return PredicateRegistry.defaults(Clock.fixed(now, ZoneOffset.UTC))
          .create(ItemDefinition.parseShortcut(text));
    } catch (DefinitionException e) {
      throw new AssertionError(text + ": " + e.getMessage(), e);
    }
  }

  static RoutePredicate expanded(String json) {
    try {
      return registry().create(ItemDefinition.parse(new JsonObject(json)));
    } catch (DefinitionException e) {
      throw new AssertionError(json + ": " + e.getMessage(), e);
    }
  }

  /** Asserts that building from shortcut text fails, for checking the message. */
  static AbstractThrowableAssert<?, ? extends Throwable> failsShortcut(String text) {
    return assertThatThrownBy(() -> registry().create(ItemDefinition.parseShortcut(text)))
        .isInstanceOf(DefinitionException.class);
  }

  static AbstractThrowableAssert<?, ? extends Throwable> failsExpanded(String json) {
    return assertThatThrownBy(() -> registry().create(ItemDefinition.parse(new JsonObject(json))))
        .isInstanceOf(DefinitionException.class);
  }

  static boolean test(RoutePredicate predicate, RouteRequest request) {
    return predicate.test(request, new MatchContext().beginRoute("r"));
  }
}
