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
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;

/**
 * {@code RedirectTo=302, https://acme.org[, true]}: answers at once with the 3xx status and
 * {@code Location: url}; the upstream is not called. With {@code includeRequestParams} the request's query
 * (as later filters would send it) is appended to the url's own query.
 */
public final class RedirectToFilter implements Relayable {

  private final int status;
  private final String url;
  private final boolean includeRequestParams;

  public RedirectToFilter(int status, String url, boolean includeRequestParams) {
    this.status = status;
    this.url = url;
    this.includeRequestParams = includeRequestParams;
  }

  @Override
  public Future<Void> filter(Exchange exchange, FilterChain chain) {
    String location = url;
    String query = includeRequestParams ? exchange.encodedQuery() : null;
    if (query != null) {
      int hash = url.indexOf('#');
      String base = hash < 0 ? url : url.substring(0, hash);
      String fragment = hash < 0 ? "" : url.substring(hash);
      location = base + (base.indexOf('?') < 0 ? "?" : base.endsWith("?") || base.endsWith("&") ? "" : "&")
          + query + fragment;
    }
    return exchange.respond(status, MultiMap.caseInsensitiveMultiMap().add("Location", location), null);
  }

  @Override
  public String toString() {
    return "RedirectTo " + status + " " + url + (includeRequestParams ? " with query" : "");
  }

  public static final class Factory implements FilterFactory {

    @Override
    public String name() {
      return "RedirectTo";
    }

    @Override
    public List<String> shortcutFieldOrder() {
      return List.of("status", "url", "includeRequestParams");
    }

    @Override
    public GatewayFilter create(Args args, FilterContext context) throws DefinitionException {
      int status = HttpStatuses.required(args, "status", 300, 399, "a 3xx redirect status such as 301 or 302");
      String url = args.requiredString("url");
      try {
        new URI(url);
      } catch (URISyntaxException e) {
        throw args.bad("url", "bad URL '" + url + "': " + e.getReason());
      }
      return new RedirectToFilter(status, url, args.bool("includeRequestParams", false));
    }
  }
}
