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
 * {@code StripPrefix=2}: drops the first {@code parts} segments of the path ({@code /name/blue/red} becomes
 * {@code /red}); stripping every segment leaves {@code /}. A trailing slash is kept, empty segments go.
 */
public final class StripPrefixFilter implements Relayable, RequestRewrite {

  private final int parts;

  public StripPrefixFilter(int parts) {
    this.parts = parts;
  }

  @Override
  public Future<Void> filter(Exchange exchange, FilterChain chain) {
    rewrite(exchange);
    return chain.next(exchange);
  }

  @Override
  public boolean rewrite(Target target) {
    target.setPath(strip(target.path(), parts));
    return true;
  }

  static String strip(String path, int parts) {
    StringBuilder out = new StringBuilder(path.length());
    int segment = 0;
    int start = 0;
    while (start < path.length()) {
      int end = path.indexOf('/', start);
      if (end < 0) {
        end = path.length();
      }
      if (end > start && segment++ >= parts) {
        out.append('/').append(path, start, end);
      }
      start = end + 1;
    }
    if (out.length() == 0) {
      return "/";
    }
    if (path.endsWith("/")) {
      out.append('/');
    }
    return out.toString();
  }

  @Override
  public String toString() {
    return "StripPrefix " + parts;
  }

  public static final class Factory implements FilterFactory {

    @Override
    public String name() {
      return "StripPrefix";
    }

    @Override
    public List<String> shortcutFieldOrder() {
      return List.of("parts");
    }

    @Override
    public GatewayFilter create(Args args, FilterContext context) throws DefinitionException {
      int parts = args.integer("parts", 1);
      if (parts < 0) {
        throw args.bad("parts", "must be 0 or more, not " + parts);
      }
      return new StripPrefixFilter(parts);
    }
  }
}
