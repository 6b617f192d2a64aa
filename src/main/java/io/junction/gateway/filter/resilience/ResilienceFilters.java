package io.junction.gateway.filter.resilience;

import io.junction.gateway.filter.FilterFactory;

import java.util.List;

/** The resilience filter factories: Retry, CircuitBreaker, RequestRateLimiter. */
public final class ResilienceFilters {
  private ResilienceFilters() {
  }

  public static List<FilterFactory> all() {
    return List.of(new RetryFilter.Factory(), new CircuitBreakerFilter.Factory(), new RequestRateLimiterFilter.Factory());
  }
}
