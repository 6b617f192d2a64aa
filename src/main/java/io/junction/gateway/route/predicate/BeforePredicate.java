package io.junction.gateway.route.predicate;

import io.junction.gateway.route.definition.Args;
import io.junction.gateway.route.definition.DefinitionException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.List;

/** {@code Before=2017-01-20T17:42:47.789-07:00[America/Denver]}: the request arrives strictly before that instant. */
public final class BeforePredicate implements RoutePredicate {

  private final Instant datetime;
  private final Clock clock;

  public BeforePredicate(ZonedDateTime datetime, Clock clock) {
    this.datetime = datetime.toInstant();
    this.clock = clock;
  }

  @Override
  public boolean test(RouteRequest request, MatchContext ctx) {
    return clock.instant().isBefore(datetime);
  }

  @Override
  public String toString() {
    return "Before " + datetime;
  }

  public static final class Factory implements PredicateFactory {

    private final Clock clock;

    /** @param clock the time source, injected so tests need not wait */
    public Factory(Clock clock) {
      this.clock = clock;
    }

    @Override
    public String name() {
      return "Before";
    }

    @Override
    public List<String> shortcutFieldOrder() {
      return List.of("datetime");
    }

    @Override
    public RoutePredicate create(Args args) throws DefinitionException {
      return new BeforePredicate(DateTimes.required(args, "datetime"), clock);
    }
  }
}
