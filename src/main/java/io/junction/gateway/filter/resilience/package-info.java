/**
 * Filters that protect upstreams and clients: {@link io.junction.gateway.filter.resilience.RetryFilter Retry},
 * {@link io.junction.gateway.filter.resilience.CircuitBreakerFilter CircuitBreaker} and
 * {@link io.junction.gateway.filter.resilience.RequestRateLimiterFilter RequestRateLimiter}, Spring Cloud Gateway
 * compatible in names and arguments. {@link io.junction.gateway.filter.resilience.ResilienceFilters#all()} lists
 * their factories.
 *
 * <p>Retry and CircuitBreaker rely on the proxy's side of {@link io.junction.gateway.filter.Exchange#failOnStatus}:
 * a response whose status the predicate accepts is drained and discarded, nothing is written to the client, and
 * the chain fails with {@link io.junction.gateway.filter.UpstreamStatusException}. Both compose the predicate
 * with one set by an outer filter and restore it when done, so they can be stacked in either order. Filter
 * instances are built once per config and shared by every event loop: the breaker and the node-local buckets
 * live in them, so they are per route and reset when the route's filters are rebuilt.
 *
 * <p>Order matters as in Spring: put request-rewriting filters either side of Retry freely (every attempt
 * starts from the request as Retry saw it, and response hooks of a discarded attempt are dropped), but put
 * RequestRateLimiter before Retry, else every attempt takes tokens.
 */
package io.junction.gateway.filter.resilience;
