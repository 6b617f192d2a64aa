package io.junction.gateway.route.definition;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The named arguments of one predicate or filter, with typed getters whose
 * failures read well in a {@link ConfigProblem}. Values come from YAML, so a
 * number may arrive as a string and a list as a comma-separated string.
 */
public final class Args {

  private final String item;
  private final Map<String, Object> values;

  private Args(String item, Map<String, Object> values) {
    this.item = item;
    this.values = Collections.unmodifiableMap(values);
  }

  /**
   * Names the arguments of {@code definition}: positional values through
   * {@code fieldOrder} and {@code type}, named ones as they are.
   */
  public static Args bind(ItemDefinition definition, List<String> fieldOrder, ShortcutType type)
      throws DefinitionException {
    if (definition.hasPositionalArgs() && !fieldOrder.isEmpty()) {
      return new Args(definition.name(),
          type.name(definition.name(), definition.positionalArgs(), fieldOrder));
    }
    return new Args(definition.name(), definition.args());
  }

  public static Args of(String item, Map<String, Object> values) {
    return new Args(item, values);
  }

  public String item() {
    return item;
  }

  public Map<String, Object> values() {
    return values;
  }

  public boolean has(String name) {
    return values.get(name) != null;
  }

  /** Fails on an argument name outside {@code allowed}: a typo such as {@code regex} for {@code regexp}. */
  public void rejectUnknown(Collection<String> allowed) throws DefinitionException {
    for (String name : values.keySet()) {
      if (!allowed.contains(name)) {
        throw new DefinitionException("unknown argument '" + name + "' for " + item
            + " (expected " + String.join(", ", allowed) + ")");
      }
    }
  }

  public String requiredString(String name) throws DefinitionException {
    String value = optionalString(name);
    if (value == null) {
      throw missing(name);
    }
    return value;
  }

  /** The value as text, or null when absent or blank. */
  public String optionalString(String name) throws DefinitionException {
    Object value = values.get(name);
    if (value == null) {
      return null;
    }
    if (value instanceof Map || value instanceof List) {
      throw bad(name, "expected a single value but got " + value);
    }
    String text = value.toString().trim();
    return text.isEmpty() ? null : text;
  }

  /** A non-empty list; a single string is split on commas. */
  public List<String> requiredStringList(String name) throws DefinitionException {
    Object value = values.get(name);
    List<String> out = new ArrayList<>();
    if (value instanceof List<?> list) {
      for (Object element : list) {
        addSplit(out, element, name);
      }
    } else if (value != null) {
      addSplit(out, value, name);
    }
    if (out.isEmpty()) {
      throw missing(name);
    }
    return out;
  }

  private void addSplit(List<String> out, Object element, String name) throws DefinitionException {
    if (element == null) {
      return;
    }
    if (element instanceof Map || element instanceof List) {
      throw bad(name, "expected text values but got " + element);
    }
    for (String part : element.toString().split(",")) {
      if (!part.isBlank()) {
        out.add(part.trim());
      }
    }
  }

  public boolean bool(String name, boolean defaultValue) throws DefinitionException {
    Object value = values.get(name);
    if (value == null) {
      return defaultValue;
    }
    if (value instanceof Boolean b) {
      return b;
    }
    String text = value.toString().trim();
    if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
      return Boolean.parseBoolean(text);
    }
    throw bad(name, "bad boolean '" + value + "' (expected true or false)");
  }

  public int integer(String name, int defaultValue) throws DefinitionException {
    return values.get(name) == null ? defaultValue : requiredInteger(name);
  }

  public int requiredInteger(String name) throws DefinitionException {
    Object value = values.get(name);
    if (value == null) {
      throw missing(name);
    }
    Long parsed = Numbers.parseLong(value);
    if (parsed == null || parsed < Integer.MIN_VALUE || parsed > Integer.MAX_VALUE) {
      throw bad(name, "bad integer '" + value + "'");
    }
    return parsed.intValue();
  }

  public Pattern requiredRegexp(String name) throws DefinitionException {
    Pattern pattern = optionalRegexp(name);
    if (pattern == null) {
      throw missing(name);
    }
    return pattern;
  }

  /** Compiled now, at config time, so a bad regexp is a config problem and requests never compile. */
  public Pattern optionalRegexp(String name) throws DefinitionException {
    String text = optionalString(name);
    if (text == null) {
      return null;
    }
    try {
      return Pattern.compile(text);
    } catch (PatternSyntaxException e) {
      throw bad(name, "bad regexp '" + text + "': " + e.getDescription());
    }
  }

  public DefinitionException missing(String name) {
    return new DefinitionException("missing required argument '" + name + "'");
  }

  public DefinitionException bad(String name, String why) {
    return new DefinitionException("argument '" + name + "': " + why);
  }

  public Set<String> names() {
    return values.keySet();
  }

  @Override
  public String toString() {
    return item + values;
  }
}
