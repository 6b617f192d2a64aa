package io.junction.gateway.filter.basic;

import io.junction.gateway.filter.Exchange;
import io.junction.gateway.filter.FilterChain;
import io.junction.gateway.filter.FilterContext;
import io.junction.gateway.filter.FilterFactory;
import io.junction.gateway.filter.GatewayFilter;
import io.junction.gateway.filter.Relayable;
import io.junction.gateway.route.definition.Args;
import io.junction.gateway.route.definition.DefinitionException;
import io.junction.gateway.route.definition.ShortcutType;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code AddRequestHeadersIfNotPresent=X-Color:blue, X-Color:green, X-Tier:{tier}}: adds each header, with
 * all its configured values, only when the client did not send it (or sent only blank values). Values may
 * use URI variables and may contain ':' (only the first one separates name from value).
 */
public final class AddRequestHeadersIfNotPresentFilter implements Relayable {

  private record Header(String name, List<Template> values) {
  }

  private final List<Header> headers;

  private AddRequestHeadersIfNotPresentFilter(List<Header> headers) {
    this.headers = headers;
  }

  @Override
  public Future<Void> filter(Exchange exchange, FilterChain chain) {
    for (Header header : headers) {
      if (!missingOrBlank(exchange, header.name)) {
        continue;
      }
      exchange.requestHeaders().remove(header.name); // blank lines go; the configured values replace them
      for (Template value : header.values) {
        String expanded = value.expand(exchange);
        if (expanded == null) {
          return value.fail(exchange, "AddRequestHeadersIfNotPresent");
        }
        exchange.requestHeaders().add(header.name, expanded);
      }
    }
    return chain.next(exchange);
  }

  private static boolean missingOrBlank(Exchange exchange, String name) {
    for (String value : exchange.requestHeaders().getAll(name)) {
      if (!value.isBlank()) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return "AddRequestHeadersIfNotPresent " + headers;
  }

  public static final class Factory implements FilterFactory {

    @Override
    public String name() {
      return "AddRequestHeadersIfNotPresent";
    }

    @Override
    public List<String> shortcutFieldOrder() {
      return List.of("keyValues");
    }

    @Override
    public ShortcutType shortcutType() {
      return ShortcutType.GATHER_LIST;
    }

    @Override
    public GatewayFilter create(Args args, FilterContext context) throws DefinitionException {
      // grouped by name ignoring case, in config order, so repeated names give a multi-valued header
      Map<String, String> names = new LinkedHashMap<>();
      Map<String, List<Template>> values = new LinkedHashMap<>();
      for (String pair : args.requiredStringList("keyValues")) {
        int colon = pair.indexOf(':');
        String name = colon < 0 ? "" : pair.substring(0, colon).trim();
        String value = colon < 0 ? "" : pair.substring(colon + 1).trim();
        if (name.isEmpty() || value.isEmpty()) {
          throw args.bad("keyValues", "expected 'name:value' but got '" + pair + "'");
        }
        String badName = Headers.badName(name);
        if (badName != null) {
          throw args.bad("keyValues", badName);
        }
        Headers.checkedValue(args, "keyValues", value);
        String key = name.toLowerCase(Locale.ROOT);
        names.putIfAbsent(key, name);
        values.computeIfAbsent(key, k -> new ArrayList<>()).add(Template.parse(value));
      }
      List<Header> headers = new ArrayList<>();
      names.forEach((key, name) -> headers.add(new Header(name, List.copyOf(values.get(key)))));
      return new AddRequestHeadersIfNotPresentFilter(List.copyOf(headers));
    }
  }
}
