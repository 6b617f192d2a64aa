package io.junction.gateway.filter;

import java.util.ArrayList;
import java.util.List;

/** The list of built-in filter factories; each filter family adds its factories here. */
final class BuiltInFilters {
  private BuiltInFilters() {
  }

  static List<FilterFactory> all() {
    List<FilterFactory> all = new ArrayList<>();
    return all;
  }
}
