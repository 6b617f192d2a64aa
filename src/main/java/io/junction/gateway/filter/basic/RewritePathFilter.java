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
import java.util.regex.Pattern;

/**
 * {@code RewritePath=/red/?(?<segment>.*), /$\{segment}}: replaces every match of the Java regexp in the
 * (decoded) path. {@code $\{name}} is Spring's YAML-safe spelling of {@code ${name}}; both work. A result
 * without a leading '/' gets one.
 */
public final class RewritePathFilter implements Relayable, RequestRewrite {

  private final Pattern regexp;
  private final String replacement;

  RewritePathFilter(Pattern regexp, String replacement) {
    this.regexp = regexp;
    this.replacement = replacement;
  }

  @Override
  public Future<Void> filter(Exchange exchange, FilterChain chain) {
    rewrite(exchange);
    return chain.next(exchange);
  }

  @Override
  public boolean rewrite(Target target) {
    String path = regexp.matcher(target.path()).replaceAll(replacement);
    target.setPath(path.startsWith("/") ? path : "/" + path);
    return true;
  }

  @Override
  public String toString() {
    return "RewritePath " + regexp + " -> " + replacement;
  }

  public static final class Factory implements FilterFactory {

    @Override
    public String name() {
      return "RewritePath";
    }

    @Override
    public List<String> shortcutFieldOrder() {
      return List.of("regexp", "replacement");
    }

    @Override
    public GatewayFilter create(Args args, FilterContext context) throws DefinitionException {
      Pattern regexp = args.requiredRegexp("regexp");
      return new RewritePathFilter(regexp, Replacements.required(args, "replacement", regexp));
    }
  }
}
