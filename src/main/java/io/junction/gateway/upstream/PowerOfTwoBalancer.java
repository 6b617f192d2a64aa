package io.junction.gateway.upstream;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Power of two choices: two distinct instances at random, the one with fewer requests in flight
 * wins. Nearly as good as least-requests at a constant cost, and no herd on the one idle instance.
 */
final class PowerOfTwoBalancer implements LoadBalancer {
  static final String NAME = "power-of-two";

  private final Instance[] instances;
  private final LeastRequestsBalancer fallback;

  PowerOfTwoBalancer(Instance[] instances) {
    this.instances = instances;
    this.fallback = new LeastRequestsBalancer(instances);
  }

  @Override
  public Instance choose(String hashKey, boolean ignoreHealth) {
    int n = instances.length;
    if (n == 0) {
      return null;
    }
    if (n == 1) {
      return Picks.usable(instances[0], ignoreHealth) ? instances[0] : null;
    }
    ThreadLocalRandom random = ThreadLocalRandom.current();
    int i = random.nextInt(n);
    int j = random.nextInt(n - 1);
    if (j >= i) {
      j++; // distinct from i, uniform over the others
    }
    Instance a = instances[i];
    Instance b = instances[j];
    boolean aUsable = Picks.usable(a, ignoreHealth);
    boolean bUsable = Picks.usable(b, ignoreHealth);
    if (aUsable && bUsable) {
      return LeastRequestsBalancer.lighter(b.inFlight(), b.weight(), a.inFlight(), a.weight()) ? b : a;
    }
    if (aUsable) {
      return a;
    }
    if (bUsable) {
      return b;
    }
    return fallback.choose(hashKey, ignoreHealth); // both out: scan the rest
  }
}
