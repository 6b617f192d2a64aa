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
import java.util.List;

/**
 * {@code RequestHeaderSize=1000B}: answers 431 when any one request header is over the limit, counting its
 * name once plus all its values (as Spring does: the limit is per header, not for all headers together).
 * The error names the largest such header. {@code maxSize} is bytes or a data size; the default is 16000
 * bytes. With {@code errorHeaderName} the message is also sent in that response header.
 */
public final class RequestHeaderSizeFilter implements Relayable {

  static final long DEFAULT_MAX = 16_000L;

  private final long maxBytes;
  private final String errorHeaderName;

  public RequestHeaderSizeFilter(long maxBytes, String errorHeaderName) {
    this.maxBytes = maxBytes;
    this.errorHeaderName = errorHeaderName;
  }

  @Override
  public Future<Void> filter(Exchange exchange, FilterChain chain) {
    MultiMap headers = exchange.inbound().headers(); // what the client sent, not what the gateway adds
    String largest = null;
    long largestSize = 0;
    int over = 0;
    for (String name : headers.names()) {
      long size = name.length();
      for (String value : headers.getAll(name)) {
        size += value.length(); // header bytes are ISO-8859-1: one char, one byte
      }
      if (size > maxBytes) {
        over++;
        if (size > largestSize) {
          largest = name;
          largestSize = size;
        }
      }
    }
    if (largest == null) {
      return chain.next(exchange);
    }
    String message = "request header '" + largest + "' is " + largestSize + " bytes (name and values), over the"
        + " limit of " + DataSizes.describe(maxBytes) + (over > 1 ? "; " + (over - 1) + " more header(s) too" : "");
    if (errorHeaderName != null) {
      exchange.beforeResponse(ex -> ex.responseHeaders().set(errorHeaderName, message));
    }
    return exchange.error(431, "header_too_large", message);
  }

  @Override
  public String toString() {
    return "RequestHeaderSize " + maxBytes;
  }

  public static final class Factory implements FilterFactory {

    @Override
    public String name() {
      return "RequestHeaderSize";
    }

    @Override
    public List<String> shortcutFieldOrder() {
      return List.of("maxSize", "errorHeaderName");
    }

    @Override
    public GatewayFilter create(Args args, FilterContext context) throws DefinitionException {
      long max = DataSizes.positive(args, "maxSize", DEFAULT_MAX);
      String errorHeader = args.has("errorHeaderName") ? Headers.name(args, "errorHeaderName") : null;
      return new RequestHeaderSizeFilter(max, errorHeader);
    }
  }
}
