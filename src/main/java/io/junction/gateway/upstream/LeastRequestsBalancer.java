package io.junction.gateway.upstream;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The instance with the fewest requests in flight relative to its weight. Ties (e.g. all idle)
 * are taken in turn, so an idle service is spread evenly rather than always hitting the first.
 */
final class LeastRequestsBalancer implements LoadBalancer {
  static final String NAME = "least-requests";

  private final Instance[] instances;
  private final AtomicInteger ticket = new AtomicInteger();

  LeastRequestsBalancer(Instance[] instances) {
    this.instances = instances;
  }

  @Override
  public Instance choose(String hashKey, boolean ignoreHealth) {
    Instance best = null;
    int bestLoad = 0;
    int ties = 0;
    for (Instance candidate : instances) {
      if (!Picks.usable(candidate, ignoreHealth)) {
        continue;
      }
      int load = candidate.inFlight();
      if (best == null || lighter(load, candidate.weight(), bestLoad, best.weight())) {
        best = candidate;
        bestLoad = load;
        ties = 1;
      } else if (!lighter(bestLoad, best.weight(), load, candidate.weight())) {
        ties++;
      }
    }
    if (ties <= 1) {
      return best;
    }
    int nth = Picks.index(ticket.getAndIncrement(), ties);
    for (Instance candidate : instances) {
      if (Picks.usable(candidate, ignoreHealth)
          && !lighter(bestLoad, best.weight(), candidate.inFlight(), candidate.weight()) && nth-- == 0) {
        return candidate;
      }
    }
    return best; // loads moved between the passes
  }

  /** (load + 1) / weight compared without division; with equal weights simply the smaller load. */
  static boolean lighter(int load, int weight, int otherLoad, int otherWeight) {
    return (long) (load + 1) * otherWeight < (long) (otherLoad + 1) * weight;
  }
}
