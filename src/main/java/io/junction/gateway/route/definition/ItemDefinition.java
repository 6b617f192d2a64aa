package io.junction.gateway.route.definition;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A predicate or filter as written in config: a name and its arguments, in
 * the order they were written.
 *
 * <p>Two forms parse, as in Spring Cloud Gateway:
 * <ul>
 *   <li>shortcut text {@code Name=a, b, c}: split on the first {@code =}, the
 *   rest split on {@code ,}, trimmed, empty values dropped. The values are
 *   positional and get the keys {@code _genkey_0}, {@code _genkey_1}, …; a
 *   factory later names them through its shortcut field order (see
 *   {@link Args#bind}). A value cannot contain a comma: regexps such as
 *   {@code \d{1,3}} need the expanded form.</li>
 *   <li>expanded {@code {name: Name, args: {key: value, …}}}; {@code args} may
 *   itself use {@code _genkey_N} keys, which are then positional too.</li>
 * </ul>
 */
public record ItemDefinition(String name, Map<String, Object> args) {

  public static final String GENERATED_KEY_PREFIX = "_genkey_";

  public ItemDefinition {
    Objects.requireNonNull(name, "name");
    // LinkedHashMap rather than Map.copyOf: keeps order and tolerates null values from JSON
    args = args == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(args));
  }

  public static String generatedKey(int index) {
    return GENERATED_KEY_PREFIX + index;
  }

  /** Parses either form: a shortcut string or a {@code {name, args}} object (JsonObject or Map). */
  public static ItemDefinition parse(Object json) throws DefinitionException {
    if (json instanceof String text) {
      return parseShortcut(text);
    }
    if (PlainJson.isObject(json)) {
      return parseExpanded(PlainJson.toPlainMap(json instanceof JsonObject o ? o.getMap() : (Map<?, ?>) json));
    }
    throw new DefinitionException("expected 'Name=args' text or an object with 'name' and 'args'");
  }

  /** Parses {@code Name=a, b}; a name without {@code =} has no arguments. */
  public static ItemDefinition parseShortcut(String text) throws DefinitionException {
    String trimmed = text.trim();
    int eq = trimmed.indexOf('=');
    String name = (eq < 0 ? trimmed : trimmed.substring(0, eq)).trim();
    if (name.isEmpty()) {
      throw new DefinitionException("missing name in '" + text + "' (expected 'Name=args')");
    }
    Map<String, Object> args = new LinkedHashMap<>();
    if (eq >= 0) {
      for (String token : trimmed.substring(eq + 1).split(",")) {
        String value = unquote(token.trim());
        if (!value.isEmpty()) {
          args.put(generatedKey(args.size()), value);
        }
      }
    }
    return new ItemDefinition(name, args);
  }

  private static ItemDefinition parseExpanded(Map<String, Object> map) throws DefinitionException {
    for (String key : map.keySet()) {
      if (!key.equals("name") && !key.equals("args")) {
        throw new DefinitionException("unexpected key '" + key + "' (expected 'name' and 'args';"
            + " arguments go under 'args')");
      }
    }
    Object name = map.get("name");
    if (!(name instanceof String text) || text.isBlank()) {
      throw new DefinitionException("missing 'name'");
    }
    Object args = map.get("args");
    if (args != null && !(args instanceof Map)) {
      throw new DefinitionException("'args' must be an object");
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> argMap = (Map<String, Object>) args;
    return new ItemDefinition(text.trim(), argMap);
  }

  // Spring's docs show quoted shortcut values (XForwardedRemoteAddr="1.2.3.4"); YAML keeps the quotes
  private static String unquote(String value) {
    if (value.length() >= 2) {
      char first = value.charAt(0);
      if ((first == '"' || first == '\'') && value.charAt(value.length() - 1) == first) {
        return value.substring(1, value.length() - 1).trim();
      }
    }
    return value;
  }

  /** True when every argument key is a generated {@code _genkey_N} key (shortcut-style values). */
  public boolean hasPositionalArgs() {
    if (args.isEmpty()) {
      return false;
    }
    for (String key : args.keySet()) {
      if (!key.startsWith(GENERATED_KEY_PREFIX)) {
        return false;
      }
    }
    return true;
  }

  /** The positional values, ordered by their {@code _genkey_N} index. */
  public List<Object> positionalArgs() {
    List<Map.Entry<String, Object>> entries = new ArrayList<>(args.entrySet());
    entries.sort((a, b) -> Integer.compare(keyIndex(a.getKey()), keyIndex(b.getKey())));
    List<Object> values = new ArrayList<>(entries.size());
    entries.forEach(e -> values.add(e.getValue()));
    return values;
  }

  private static int keyIndex(String key) {
    try {
      return Integer.parseInt(key.substring(GENERATED_KEY_PREFIX.length()));
    } catch (NumberFormatException e) {
      return Integer.MAX_VALUE;
    }
  }

  /** The expanded form, as the admin API shows it. */
  public JsonObject toJson() {
    return new JsonObject().put("name", name).put("args", new JsonObject(new LinkedHashMap<>(args)));
  }
}
