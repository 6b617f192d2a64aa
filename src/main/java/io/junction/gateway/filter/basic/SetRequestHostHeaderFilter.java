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
 * {@code SetRequestHostHeader=example.org}: the upstream gets this Host header (host or host:port, URI
 * variables allowed) instead of its own host:port or the client's.
 */
public final class SetRequestHostHeaderFilter implements Relayable, RequestRewrite {

  private final Template host;

  SetRequestHostHeaderFilter(Template host) {
    this.host = host;
  }

  @Override
  public Future<Void> filter(Exchange exchange, FilterChain chain) {
    return rewrite(exchange) ? chain.next(exchange) : host.fail(exchange, "SetRequestHostHeader");
  }

  @Override
  public boolean rewrite(Target target) {
    String expanded = host.expand(target.variables());
    if (expanded == null) {
      return false;
    }
    target.setHostOverride(expanded);
    return true;
  }

  @Override
  public String toString() {
    return "SetRequestHostHeader " + host;
  }

  public static final class Factory implements FilterFactory {

    @Override
    public String name() {
      return "SetRequestHostHeader";
    }

    @Override
    public List<String> shortcutFieldOrder() {
      return List.of("host");
    }

    @Override
    public GatewayFilter create(Args args, FilterContext context) throws DefinitionException {
      String host = args.requiredString("host");
      for (int i = 0; i < host.length(); i++) {
        char c = host.charAt(i);
        if (c <= ' ' || c == '/' || c == '?' || c == '#' || c == '@' || c == 127) {
          throw args.bad("host", "expected a host or host:port such as example.org:8443, not '" + host + "'");
        }
      }
      return new SetRequestHostHeaderFilter(Template.parse(host));
    }
  }
}
