package io.junction.gateway.filter.basic;

import io.junction.gateway.filter.FilterFactory;
import java.util.List;

/** The Spring Cloud Gateway filters that only rewrite the request or the response head, no I/O of their own. */
public final class BasicFilters {

  private BasicFilters() {
  }

  public static List<FilterFactory> all() {
    return List.of(
        new AddRequestHeaderFilter.Factory(),
        new AddRequestHeadersIfNotPresentFilter.Factory(),
        new AddRequestParameterFilter.Factory(),
        new AddResponseHeaderFilter.Factory(),
        new DedupeResponseHeaderFilter.Factory(),
        new MapRequestHeaderFilter.Factory(),
        new PrefixPathFilter.Factory(),
        new PreserveHostHeaderFilter.Factory(),
        new RedirectToFilter.Factory(),
        new RemoveRequestHeaderFilter.Factory(),
        new RemoveRequestParameterFilter.Factory(),
        new RemoveResponseHeaderFilter.Factory(),
        new RequestHeaderSizeFilter.Factory(),
        new RequestSizeFilter.Factory(),
        new RewriteLocationResponseHeaderFilter.Factory(),
        new RewritePathFilter.Factory(),
        new RewriteResponseHeaderFilter.Factory(),
        new SecureHeadersFilter.Factory(),
        new SetPathFilter.Factory(),
        new SetRequestHeaderFilter.Factory(),
        new SetRequestHostHeaderFilter.Factory(),
        new SetResponseHeaderFilter.Factory(),
        new SetStatusFilter.Factory(),
        new StripPrefixFilter.Factory());
  }
}
