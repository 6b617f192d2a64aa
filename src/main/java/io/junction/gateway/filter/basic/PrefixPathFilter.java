package io.junction.gateway.filter.basic;

import io.junction.gateway.filter.Exchange;
import io.junction.gateway.filter.FilterChain;
import io.junction.gateway.filter.FilterContext;
import io.junction.gateway.filter.FilterFactory;
import io.junction.gateway.filter.GatewayFilter;
import io.junction.gateway.filter.Relayable;
import io.junction.gateway.filter.RequestRewrite;
import io.junction.gateway.route.definition.Args;
import io.junction.gateway.route.definition.DefinitionException;
import io.vertx.core.Future;
import java.util.List;

/**
 * {@code PrefixPath=/mypath}: {@code /hello} is sent upstream as {@code /mypath/hello}. The prefix must start
 * with '/', may use URI variables, and a trailing '/' of it is dropped so no empty segment appears.
 */
public final class PrefixPathFilter implements Relayable, RequestRewrite {

  private final Template prefix;

  PrefixPathFilter(Template prefix) {
    this.prefix = prefix;
  }

  @Override
  public Future<Void> filter(Exchange exchange, FilterChain chain) {
    return rewrite(exchange) ? chain.next(exchange) : prefix.fail(exchange, "PrefixPath");
  }

  @Override
  public boolean rewrite(Target target) {
    String expanded = prefix.expand(target.variables());
    if (expanded == null) {
      return false;
    }
    int end = expanded.length();
    while (end > 0 && expanded.charAt(end - 1) == '/') {
      end--;
    }
    if (end > 0) {
      target.setPath(expanded.substring(0, end) + target.path());
    }
    return true;
  }

  @Override
  public String toString() {
    return "PrefixPath " + prefix;
  }

  public static final class Factory implements FilterFactory {

    @Override
    public String name() {
      return "PrefixPath";
    }

    @Override
    public List<String> shortcutFieldOrder() {
      return List.of("prefix");
    }

    @Override
    public GatewayFilter create(Args args, FilterContext context) throws DefinitionException {
      String prefix = args.requiredString("prefix");
      if (!prefix.startsWith("/")) {
        throw args.bad("prefix", "must start with '/', e.g. /" + prefix);
      }
      if (prefix.indexOf('?') >= 0 || prefix.indexOf('#') >= 0) {
        throw args.bad("prefix", "must be a path without '?' or '#', not '" + prefix + "'");
      }
      return new PrefixPathFilter(Template.parse(prefix));
    }
  }
}
