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
 * {@code SetPath=/{segment}} with {@code Path=/red/{segment}}: the path sent upstream is the template filled
 * with the URI variables the route captured ({@code /red/blue} becomes {@code /blue}). Variables are decoded
 * text; the proxy encodes the whole path.
 */
public final class SetPathFilter implements Relayable, RequestRewrite {

  private final Template template;

  SetPathFilter(Template template) {
    this.template = template;
  }

  @Override
  public Future<Void> filter(Exchange exchange, FilterChain chain) {
    return rewrite(exchange) ? chain.next(exchange) : template.fail(exchange, "SetPath");
  }

  @Override
  public boolean rewrite(Target target) {
    String path = template.expand(target.variables());
    if (path == null) {
      return false;
    }
    target.setPath(path);
    return true;
  }

  @Override
  public String toString() {
    return "SetPath " + template;
  }

  public static final class Factory implements FilterFactory {

    @Override
    public String name() {
      return "SetPath";
    }

    @Override
    public List<String> shortcutFieldOrder() {
      return List.of("template");
    }

    @Override
    public GatewayFilter create(Args args, FilterContext context) throws DefinitionException {
      String template = args.requiredString("template");
      if (!template.startsWith("/")) {
        throw args.bad("template", "must start with '/', e.g. /" + template);
      }
      if (template.indexOf('?') >= 0 || template.indexOf('#') >= 0) {
        throw args.bad("template", "must be a path without '?' or '#', not '" + template + "'");
      }
      return new SetPathFilter(Template.parse(template));
    }
  }
}
