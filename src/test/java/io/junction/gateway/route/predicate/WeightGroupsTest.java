package io.junction.gateway.route.predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class WeightGroupsTest {

  /** Spring's docs: Weight=group1, 8 and Weight=group1, 2 send about 80% and 20%. */
  private final WeightGroups groups = WeightGroups.builder()
      .add("group1", "weight_high", 8)
      .add("group1", "weight_low", 2)
      .build();

  @Test
  void slicesFollowRouteOrderAndWeights() {
    assertThat(groups.ranges("group1")).containsExactly(0.0, 0.8, 1.0);
    assertThat(groups.choose("group1", 0.0)).isEqualTo("weight_high");
    assertThat(groups.choose("group1", 0.7999)).isEqualTo("weight_high");
    assertThat(groups.choose("group1", 0.8)).isEqualTo("weight_low");
    assertThat(groups.choose("group1", 0.9999999999)).isEqualTo("weight_low");
  }

  @Test
  void drawsOutsideZeroToOneAreClamped() {
    assertThat(groups.choose("group1", 1.0)).isEqualTo("weight_low");
    assertThat(groups.choose("group1", -0.5)).isEqualTo("weight_high");
  }

  @Test
  void shareOfManyEvenlySpreadDrawsMatchesTheWeights() {
    int high = 0;
    for (int i = 0; i < 1000; i++) {
      if ("weight_high".equals(groups.choose("group1", i / 1000.0))) {
        high++;
      }
    }
    assertThat(high).isEqualTo(800);
  }

  @Test
  void zeroWeightIsNeverChosen() {
    WeightGroups g = WeightGroups.builder().add("g", "off", 0).add("g", "on", 1).build();
    assertThat(g.choose("g", 0.0)).isEqualTo("on");
    assertThat(WeightGroups.builder().add("g", "off", 0).build().choose("g", 0.5)).isNull();
  }

  @Test
  void groupsAreIndependent() {
    WeightGroups g = WeightGroups.builder().add("a", "a1", 1).add("b", "b1", 1).add("b", "b2", 1).build();
    assertThat(g.choose("a", 0.9)).isEqualTo("a1");
    assertThat(g.choose("b", 0.9)).isEqualTo("b2");
    assertThat(g.choose("missing", 0.5)).isNull();
    assertThat(g.groups()).containsExactly("a", "b");
  }

  @Test
  void negativeWeightIsRejected() {
    assertThatThrownBy(() -> WeightGroups.builder().add("g", "r", -1)).isInstanceOf(IllegalArgumentException.class);
  }
}
