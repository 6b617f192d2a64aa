package io.junction.gateway.route.predicate;

import io.junction.gateway.route.definition.Args;
import io.junction.gateway.route.definition.DefinitionException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.List;

/**
 * {@code Between=<datetime1>, <datetime2>}: the request arrives strictly after
 * the first instant and strictly before the second, which must come later.
 */
public final class BetweenPredicate implements RoutePredicate {

  private final Instant start;
  private final Instant end;
  private final Clock clock;

  public BetweenPredicate(ZonedDateTime start, ZonedDateTime end, Clock clock) {
    this.start = start.toInstant();
    this.end = end.toInstant();
    this.clock = clock;
  }

  @Override
  public boolean test(RouteRequest request, MatchContext ctx) {
    Instant now = clock.instant();
    return now.isAfter(start) && now.isBefore(end);
  }

  @Override
  public String toString() {
    return "Between " + start + " and " + end;
  }

  public static final class Factory implements PredicateFactory {

    private final Clock clock;

    public Factory(Clock clock) {
      this.clock = clock;
    }

    @Override
    public String name() {
      return "Between";
    }

    @Override
    public List<String> shortcutFieldOrder() {
      return List.of("datetime1", "datetime2");
    }

    @Override
    public RoutePredicate create(Args args) throws DefinitionException {
      ZonedDateTime start = DateTimes.required(args, "datetime1");
      ZonedDateTime end = DateTimes.required(args, "datetime2");
      if (!start.toInstant().isBefore(end.toInstant())) {
        throw args.bad("datetime2", "must be after datetime1 (" + start + ")");
      }
      return new BetweenPredicate(start, end, clock);
    }
  }
}
