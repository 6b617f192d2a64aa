package io.junction.gateway.upstream;

import java.util.List;

/**
 * Picks one instance of a service per request. Implementations are immutable apart from atomic
 * counters, safe to call from any number of event loops at once, and allocate nothing per pick.
 */
public interface LoadBalancer {

  /** The {@code loadBalancer} names a service may use. */
  List<String> NAMES = List.of(RoundRobinBalancer.NAME, WeightedBalancer.NAME, LeastRequestsBalancer.NAME,
      PowerOfTwoBalancer.NAME, ConsistentHashBalancer.NAME);

  /**
   * @param hashKey      the request's key (header, cookie or client ip) for consistent-hash; null
   *                     when the request has none; ignored by the other algorithms
   * @param ignoreHealth true to pick among all instances whatever their health (fail-open), false
   *                     to pick only {@link Instance#available() available} ones
   * @return the instance, or null when none qualifies
   */
  Instance choose(String hashKey, boolean ignoreHealth);

  /** The balancer called {@code name} over {@code instances}, or null for an unknown name. */
  static LoadBalancer create(String name, List<Instance> instances) {
    Instance[] array = instances.toArray(new Instance[0]);
    return switch (name) {
      case RoundRobinBalancer.NAME -> new RoundRobinBalancer(array);
      case WeightedBalancer.NAME -> new WeightedBalancer(array);
      case LeastRequestsBalancer.NAME -> new LeastRequestsBalancer(array);
      case PowerOfTwoBalancer.NAME -> new PowerOfTwoBalancer(array);
      case ConsistentHashBalancer.NAME -> new ConsistentHashBalancer(array);
      default -> null;
    };
  }
}
