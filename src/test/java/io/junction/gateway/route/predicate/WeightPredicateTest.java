package io.junction.gateway.route.predicate;

import static io.junction.gateway.route.predicate.Predicates.expanded;
import static io.junction.gateway.route.predicate.Predicates.failsShortcut;
import static io.junction.gateway.route.predicate.Predicates.shortcut;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WeightPredicateTest {

  private final WeightGroups groups = WeightGroups.builder()
      .add("group1", "weight_high", 8)
      .add("group1", "weight_low", 2)
      .build();

  @Test
  void carriesGroupAndWeight() {
    WeightPredicate weight = (WeightPredicate) shortcut("Weight=group1, 8");
    assertThat(weight.group()).isEqualTo("group1");
    assertThat(weight.weight()).isEqualTo(8);
  }

  @Test
  void matchesOnlyTheRouteChosenForTheDraw() {
    RoutePredicate high = shortcut("Weight=group1, 8");
    RoutePredicate low = shortcut("Weight=group1, 2");
    MatchContext lowDraw = new MatchContext(groups, 0.1);
    assertThat(high.test(new TestRequest(), lowDraw.beginRoute("weight_high"))).isTrue();
    assertThat(low.test(new TestRequest(), lowDraw.beginRoute("weight_low"))).isFalse();

    MatchContext highDraw = new MatchContext(groups, 0.95);
    assertThat(high.test(new TestRequest(), highDraw.beginRoute("weight_high"))).isFalse();
    assertThat(low.test(new TestRequest(), highDraw.beginRoute("weight_low"))).isTrue();
  }

  @Test
  void withoutGroupsItNeverMatches() {
    assertThat(shortcut("Weight=group1, 8").test(new TestRequest(), new MatchContext().beginRoute("weight_high")))
        .isFalse();
  }

  @Test
  void expandedFormInBothSpellings() {
    WeightPredicate plain = (WeightPredicate) expanded("{\"name\":\"Weight\",\"args\":{\"group\":\"g\",\"weight\":3}}");
    WeightPredicate prefixed = (WeightPredicate) expanded(
        "{\"name\":\"Weight\",\"args\":{\"weight.group\":\"g\",\"weight.weight\":\"3\"}}");
    assertThat(plain.weight()).isEqualTo(3);
    assertThat(prefixed.group()).isEqualTo("g");
    assertThat(prefixed.weight()).isEqualTo(3);
  }

  @Test
  void badConfig() {
    failsShortcut("Weight=group1").hasMessageContaining("missing required argument 'weight'");
    failsShortcut("Weight=group1, heavy").hasMessageContaining("argument 'weight': bad integer 'heavy'");
    failsShortcut("Weight=group1, 2.5").hasMessageContaining("bad integer '2.5'");
    failsShortcut("Weight=group1, -1").hasMessageContaining("must not be negative");
  }
}
