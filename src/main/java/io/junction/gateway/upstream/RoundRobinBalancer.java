package io.junction.gateway.upstream;

import java.util.concurrent.atomic.AtomicInteger;

/** Each instance in turn, in config order. */
final class RoundRobinBalancer implements LoadBalancer {
  static final String NAME = "round-robin";

  private final Instance[] instances;
  private final AtomicInteger next = new AtomicInteger();

  RoundRobinBalancer(Instance[] instances) {
    this.instances = instances;
  }

  @Override
  public Instance choose(String hashKey, boolean ignoreHealth) {
    int n = instances.length;
    if (n == 0) {
      return null;
    }
    int ticket = next.getAndIncrement();
    Instance instance = instances[Picks.index(ticket, n)];
    return Picks.usable(instance, ignoreHealth) ? instance : Picks.nthUsable(instances, ticket, ignoreHealth);
  }
}
