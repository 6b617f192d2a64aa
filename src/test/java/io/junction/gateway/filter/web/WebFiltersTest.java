package io.junction.gateway.filter.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.junction.gateway.filter.FilterFactory;
import io.junction.gateway.filter.FilterRegistry;
import io.junction.gateway.filter.basic.BasicFilters;
import io.junction.gateway.filter.resilience.ResilienceFilters;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WebFiltersTest {

  @Test
  void everyFilterIsListedOnceUnderItsSpringName() {
    assertThat(WebFilters.all()).extracting(FilterFactory::name)
        .containsExactlyInAnyOrder("Cors", "LocalResponseCache");
  }

  @Test
  void namesDoNotClashWithTheOtherFamilies() {
    List<FilterFactory> all = new ArrayList<>(BasicFilters.all());
    all.addAll(ResilienceFilters.all());
    all.addAll(WebFilters.all());
    assertThat(FilterRegistry.of(all).names()).hasSize(all.size());
  }
}
