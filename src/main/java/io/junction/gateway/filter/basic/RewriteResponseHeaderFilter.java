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
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code RewriteResponseHeader=X-Response-Red, password=[^&]+, password=***}: in every line of the response
 * header, replaces each match of the Java regexp ({@code $\{name}} works for {@code ${name}}, as in
 * RewritePath). A regexp with a comma needs the expanded form.
 */
public final class RewriteResponseHeaderFilter implements Relayable {

  private final String name;
  private final Pattern regexp;
  private final String replacement;

  RewriteResponseHeaderFilter(String name, Pattern regexp, String replacement) {
    this.name = name;
    this.regexp = regexp;
    this.replacement = replacement;
  }

  @Override
  public Future<Void> filter(Exchange exchange, FilterChain chain) {
    exchange.beforeResponse(ex -> {
      MultiMap headers = ex.responseHeaders();
      List<String> values = headers.getAll(name);
      if (values.isEmpty()) {
        return;
      }
      List<String> rewritten = new ArrayList<>(values.size());
      for (String value : values) {
        rewritten.add(regexp.matcher(value).replaceAll(replacement));
      }
      headers.set(name, rewritten);
    });
    return chain.next(exchange);
  }

  @Override
  public String toString() {
    return "RewriteResponseHeader " + name + " " + regexp + " -> " + replacement;
  }

  public static final class Factory implements FilterFactory {

    @Override
    public String name() {
      return "RewriteResponseHeader";
    }

    @Override
    public List<String> shortcutFieldOrder() {
      return List.of("name", "regexp", "replacement");
    }

    @Override
    public GatewayFilter create(Args args, FilterContext context) throws DefinitionException {
      String name = Headers.name(args, "name");
      Pattern regexp = args.requiredRegexp("regexp");
      String replacement = Replacements.required(args, "replacement", regexp);
      Headers.checkedValue(args, "replacement", replacement);
      return new RewriteResponseHeaderFilter(name, regexp, replacement);
    }
  }
}
