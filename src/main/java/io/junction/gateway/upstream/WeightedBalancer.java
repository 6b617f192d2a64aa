package io.junction.gateway.upstream;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Smooth weighted round robin (nginx): the sequence nginx would produce for one full cycle is
 * computed once, then walked with an atomic counter, so picks need no lock. Weights 5:1:1 give
 * {@code a a b a c a a}, not {@code a a a a a b c}.
 */
final class WeightedBalancer implements LoadBalancer {
  static final String NAME = "weighted";

  private final Instance[] instances;
  private final Instance[] cycle;
  private final AtomicInteger next = new AtomicInteger();

  WeightedBalancer(Instance[] instances) {
    this.instances = instances;
    this.cycle = cycle(instances);
  }

  /** One cycle of nginx's smooth weighted round robin, weights divided by their gcd. */
  static Instance[] cycle(Instance[] instances) {
    if (instances.length == 0) {
      return instances;
    }
    int gcd = 0;
    for (Instance instance : instances) {
      gcd = gcd(gcd, instance.weight());
    }
    int[] weights = new int[instances.length];
    int total = 0;
    for (int i = 0; i < instances.length; i++) {
      weights[i] = instances[i].weight() / gcd;
      total += weights[i];
    }
    int[] current = new int[instances.length];
    Instance[] cycle = new Instance[total];
    for (int slot = 0; slot < total; slot++) {
      int best = 0;
      for (int i = 0; i < instances.length; i++) {
        current[i] += weights[i];
        if (current[i] > current[best]) {
          best = i;
        }
      }
      current[best] -= total;
      cycle[slot] = instances[best];
    }
    return cycle;
  }

  private static int gcd(int a, int b) {
    return b == 0 ? a : gcd(b, a % b);
  }

  @Override
  public Instance choose(String hashKey, boolean ignoreHealth) {
    if (cycle.length == 0) {
      return null;
    }
    int ticket = next.getAndIncrement();
    Instance instance = cycle[Picks.index(ticket, cycle.length)];
    return Picks.usable(instance, ignoreHealth) ? instance : byWeight(ticket, ignoreHealth);
  }

  /** The slot of an unavailable instance goes to a usable one, in proportion to weight. */
  private Instance byWeight(int ticket, boolean ignoreHealth) {
    long total = 0;
    for (Instance instance : instances) {
      if (Picks.usable(instance, ignoreHealth)) {
        total += instance.weight();
      }
    }
    if (total == 0) {
      return null;
    }
    long target = (ticket & Integer.MAX_VALUE) % total;
    for (Instance instance : instances) {
      if (Picks.usable(instance, ignoreHealth)) {
        target -= instance.weight();
        if (target < 0) {
          return instance;
        }
      }
    }
    return Picks.firstUsable(instances, ignoreHealth);
  }
}
