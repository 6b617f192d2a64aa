package io.junction.gateway.filter.basic;

import io.junction.gateway.filter.Exchange;
import io.junction.gateway.filter.FilterChain;
import io.junction.gateway.filter.FilterContext;
import io.junction.gateway.filter.FilterFactory;
import io.junction.gateway.filter.GatewayFilter;
import io.junction.gateway.route.definition.Args;
import io.junction.gateway.route.definition.DefinitionException;
import io.vertx.core.Future;
import java.util.List;

/**
 * {@code RequestSize=5MB}: a request whose Content-Length is over the limit is answered 413 at once; any
 * other (chunked, or a Content-Length that lies) is cut off with 413 by the proxy once it has streamed more
 * than the limit. {@code maxSize} is bytes or a data size ({@code 500KB}); the default, as Spring's, is
 * 5000000 bytes.
 */
public final class RequestSizeFilter implements GatewayFilter {

  static final long DEFAULT_MAX = 5_000_000L;

  private final long maxBytes;

  public RequestSizeFilter(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  @Override
  public Future<Void> filter(Exchange exchange, FilterChain chain) {
    String length = exchange.request().getHeader("Content-Length");
    if (length != null) {
      long declared;
      try {
        declared = Long.parseLong(length.trim());
      } catch (NumberFormatException e) {
        return exchange.error(400, "invalid_request", "bad Content-Length '" + length + "'");
      }
      if (declared > maxBytes) {
        return exchange.error(413, "payload_too_large", "request body is " + DataSizes.describe(declared)
            + ", over the limit of " + DataSizes.describe(maxBytes) + " for this route");
      }
    }
    long current = exchange.maxRequestBodyBytes();
    exchange.setMaxRequestBodyBytes(current < 0 ? maxBytes : Math.min(current, maxBytes));
    return chain.next(exchange);
  }

  @Override
  public String toString() {
    return "RequestSize " + maxBytes;
  }

  public static final class Factory implements FilterFactory {

    @Override
    public String name() {
      return "RequestSize";
    }

    @Override
    public List<String> shortcutFieldOrder() {
      return List.of("maxSize");
    }

    @Override
    public GatewayFilter create(Args args, FilterContext context) throws DefinitionException {
      return new RequestSizeFilter(DataSizes.positive(args, "maxSize", DEFAULT_MAX));
    }
  }
}
