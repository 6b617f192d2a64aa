package io.junction.gateway.filter.web;

import io.junction.gateway.filter.FilterFactory;
import java.util.List;

/**
 * The filters that act for the browser and the web: {@code Cors} and {@code LocalResponseCache}. The
 * gateway-wide CORS settings are {@link GlobalCors}, applied before route matching.
 */
public final class WebFilters {

  private WebFilters() {
  }

  public static List<FilterFactory> all() {
    return List.of(new CorsFilter.Factory(), new LocalResponseCacheFilter.Factory());
  }
}
