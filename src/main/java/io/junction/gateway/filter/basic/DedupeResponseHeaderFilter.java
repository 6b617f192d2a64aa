package io.junction.gateway.filter.basic;

import io.junction.gateway.filter.Exchange;
import io.junction.gateway.filter.FilterChain;
import io.junction.gateway.filter.FilterContext;
import io.junction.gateway.filter.FilterFactory;
import io.junction.gateway.filter.GatewayFilter;
import io.junction.gateway.filter.Relayable;
import io.junction.gateway.route.definition.Args;
import io.junction.gateway.route.definition.DefinitionException;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;

/**
 * {@code DedupeResponseHeader=Access-Control-Allow-Credentials Access-Control-Allow-Origin, RETAIN_UNIQUE}:
 * when both the gateway and the upstream add a header, keeps one line per the strategy: the first line
 * (default), the last one, or each distinct value once in first-seen order. Names are space-separated; a
 * header line is one value ({@code a, b} is not split).
 */
public final class DedupeResponseHeaderFilter implements Relayable {

  public enum Strategy { RETAIN_FIRST, RETAIN_LAST, RETAIN_UNIQUE }

  private final List<String> names;
  private final Strategy strategy;

  public DedupeResponseHeaderFilter(List<String> names, Strategy strategy) {
    this.names = List.copyOf(names);
    this.strategy = strategy;
  }

  @Override
  public Future<Void> filter(Exchange exchange, FilterChain chain) {
    exchange.beforeResponse(ex -> {
      for (String name : names) {
        dedupe(ex.responseHeaders(), name);
      }
    });
    return chain.next(exchange);
  }

  private void dedupe(MultiMap headers, String name) {
    List<String> values = headers.getAll(name);
    if (values.size() <= 1) {
      return;
    }
    switch (strategy) {
      case RETAIN_FIRST -> headers.set(name, values.get(0));
      case RETAIN_LAST -> headers.set(name, values.get(values.size() - 1));
      case RETAIN_UNIQUE -> {
        List<String> unique = new ArrayList<>(new LinkedHashSet<>(values));
        headers.set(name, unique);
      }
    }
  }

  @Override
  public String toString() {
    return "DedupeResponseHeader " + names + " " + strategy;
  }

  public static final class Factory implements FilterFactory {

    @Override
    public String name() {
      return "DedupeResponseHeader";
    }

    @Override
    public List<String> shortcutFieldOrder() {
      return List.of("name", "strategy");
    }

    @Override
    public GatewayFilter create(Args args, FilterContext context) throws DefinitionException {
      List<String> names = new ArrayList<>();
      Object value = args.values().get("name");
      for (Object element : value instanceof List<?> list ? list : List.of(value == null ? "" : value)) {
        for (String name : String.valueOf(element).trim().split("\\s+")) {
          if (name.isEmpty()) {
            continue;
          }
          String why = Headers.badName(name);
          if (why != null) {
            throw args.bad("name", why + "; separate several names with spaces");
          }
          names.add(name);
        }
      }
      if (names.isEmpty()) {
        throw args.missing("name");
      }
      return new DedupeResponseHeaderFilter(names, strategy(args));
    }

    private static Strategy strategy(Args args) throws DefinitionException {
      String text = args.optionalString("strategy");
      if (text == null) {
        return Strategy.RETAIN_FIRST;
      }
      try {
        return Strategy.valueOf(text.toUpperCase(Locale.ROOT).replace('-', '_'));
      } catch (IllegalArgumentException e) {
        throw args.bad("strategy", "unknown strategy '" + text
            + "' (expected RETAIN_FIRST, RETAIN_LAST or RETAIN_UNIQUE)");
      }
    }
  }
}
