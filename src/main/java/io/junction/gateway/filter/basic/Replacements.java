package io.junction.gateway.filter.basic;

import io.junction.gateway.route.definition.Args;
import io.junction.gateway.route.definition.DefinitionException;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Replacement text of RewritePath and RewriteResponseHeader: Java's {@code $1} and {@code ${name}}, with
 * Spring's YAML-friendly {@code $\{name}} read as {@code ${name}}. Checked against the regexp at config time
 * so that a reference to a group that does not exist fails the config, not every matching request.
 */
final class Replacements {

  private Replacements() {
  }

  /** The replacement argument {@code name}; may be empty (in the expanded form) but must be present. */
  static String required(Args args, String name, Pattern regexp) throws DefinitionException {
    Object value = args.values().get(name);
    if (value == null) {
      throw args.missing(name);
    }
    if (value instanceof Map || value instanceof List) {
      throw args.bad(name, "expected a single value but got " + value);
    }
    String replacement = value.toString().replace("$\\", "$");
    Pattern optional;
    try {
      // an optional copy of the regexp matches "", so every group reference gets resolved once
      optional = Pattern.compile("(?:" + regexp.pattern() + ")?", regexp.flags());
    } catch (IllegalArgumentException cannotWrap) {
      return replacement; // e.g. ends in a (?x) comment; checked on first use instead
    }
    try {
      optional.matcher("").replaceFirst(replacement);
    } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
      throw args.bad(name, "bad replacement '" + value + "' for regexp '" + regexp.pattern() + "': "
          + e.getMessage());
    }
    return replacement;
  }
}
