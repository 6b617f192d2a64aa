package io.junction.gateway.filter.basic;

import io.junction.gateway.filter.Exchange;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A config value with URI template variables, {@code Blue-{segment}}, filled in per request from what the
 * route's Path and Host predicates captured (Spring's {@code ServerWebExchangeUtils.expand}). Parsed once
 * at config time. Braces around something that is not a variable name ({@code {"a":1}}) stay literal text.
 */
final class Template {

  // {name} or {name:regex}, as Spring's URI templates write them
  private static final Pattern VARIABLE = Pattern.compile("\\{\\s*([A-Za-z_][\\w.-]*)\\s*(?::[^{}/]*)?}");

  private final String text;
  /** Alternating literal text and variable names: literal, name, literal, name, ..., literal. */
  private final String[] parts;

  private Template(String text, String[] parts) {
    this.text = text;
    this.parts = parts;
  }

  static Template parse(String text) {
    List<String> parts = new ArrayList<>();
    Matcher m = VARIABLE.matcher(text);
    int last = 0;
    while (m.find()) {
      parts.add(text.substring(last, m.start()));
      parts.add(m.group(1));
      last = m.end();
    }
    parts.add(text.substring(last));
    return new Template(text, parts.toArray(String[]::new));
  }

  boolean hasVariables() {
    return parts.length > 1;
  }

  /** The value for this request, or null when a variable it needs was not captured. */
  String expand(Map<String, String> variables) {
    if (parts.length == 1) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < parts.length; i++) {
      if (i % 2 == 0) {
        out.append(parts[i]);
      } else {
        String value = variables == null ? null : variables.get(parts[i]);
        if (value == null) {
          return null;
        }
        out.append(value);
      }
    }
    return out.toString();
  }

  String expand(Exchange exchange) {
    return expand(exchange.variables());
  }

  /**
   * Answers 500 for a variable the route never captures: a config mistake that only shows per request,
   * because predicates and filters are built separately (Spring fails such a request too).
   */
  Future<Void> fail(Exchange exchange, String filter) {
    String missing = "?";
    for (int i = 1; i < parts.length; i += 2) {
      if (exchange.variables() == null || !exchange.variables().containsKey(parts[i])) {
        missing = parts[i];
        break;
      }
    }
    return exchange.error(500, "internal_error", "filter " + filter + " of route '" + exchange.route().id()
        + "' needs the URI variable '" + missing + "', which the route's predicates did not capture");
  }

  @Override
  public String toString() {
    return text;
  }
}
