package io.junction.gateway.filter.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import io.junction.gateway.filter.FilterRegistry;
import io.junction.gateway.route.definition.ItemDefinition;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ResilienceFiltersTest {

  @Test
  void registersTheThreeFactoriesBySpringNames() throws Exception {
    FilterRegistry registry = FilterRegistry.of(ResilienceFilters.all());
    assertThat(registry.names()).containsExactly("Retry", "CircuitBreaker", "RequestRateLimiter");
    try (ResilienceTestBed bed = new ResilienceTestBed()) {
      assertThat(registry.create(ItemDefinition.parseShortcut("Retry=2"), bed.context())).isInstanceOf(RetryFilter.class);
      assertThat(registry.create(ItemDefinition.parseShortcut("CircuitBreaker=cb, forward:/fb"), bed.context()))
        .isInstanceOf(CircuitBreakerFilter.class);
      assertThat(registry.create(ItemDefinition.parseShortcut("RequestRateLimiter=5, 10"), bed.context()))
        .isInstanceOf(RequestRateLimiterFilter.class);
    }
  }
}
