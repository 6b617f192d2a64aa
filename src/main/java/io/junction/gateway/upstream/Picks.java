package io.junction.gateway.upstream;

/** Slow-path helpers shared by the balancers, used once the first choice is not available. */
final class Picks {
  private Picks() {
  }

  static boolean usable(Instance instance, boolean ignoreHealth) {
    return ignoreHealth || instance.available();
  }

  /**
   * The {@code ticket}-th usable instance, counting only usable ones, so the share of an
   * unavailable instance is spread evenly over the rest instead of falling on its neighbour.
   */
  static Instance nthUsable(Instance[] instances, int ticket, boolean ignoreHealth) {
    int usable = 0;
    for (Instance instance : instances) {
      if (usable(instance, ignoreHealth)) {
        usable++;
      }
    }
    if (usable == 0) {
      return null;
    }
    int target = (ticket & Integer.MAX_VALUE) % usable;
    for (Instance instance : instances) {
      if (usable(instance, ignoreHealth) && target-- == 0) {
        return instance;
      }
    }
    return firstUsable(instances, ignoreHealth); // health changed between the two passes
  }

  static Instance firstUsable(Instance[] instances, boolean ignoreHealth) {
    for (Instance instance : instances) {
      if (usable(instance, ignoreHealth)) {
        return instance;
      }
    }
    return null;
  }

  static int index(int ticket, int size) {
    return (ticket & Integer.MAX_VALUE) % size;
  }
}
