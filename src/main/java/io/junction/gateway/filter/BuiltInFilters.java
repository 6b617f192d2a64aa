package io.junction.gateway.filter;

import io.junction.gateway.filter.auth.AuthFilters;
import io.junction.gateway.filter.basic.BasicFilters;
import io.junction.gateway.filter.resilience.ResilienceFilters;
import io.junction.gateway.filter.web.WebFilters;

import java.util.ArrayList;
import java.util.List;

/** The list of built-in filter factories; each filter family adds its factories here. */
final class BuiltInFilters {
  private BuiltInFilters() {
  }

  static List<FilterFactory> all() {
    List<FilterFactory> all = new ArrayList<>(BasicFilters.all());
    all.addAll(ResilienceFilters.all());
    all.addAll(WebFilters.all());
    all.addAll(AuthFilters.all());
    return all;
  }
}
