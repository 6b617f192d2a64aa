package io.junction.config;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Maps {@code JUNCTION_<PATH>} environment variables onto config keys: the dotted path, uppercased, joined
 * with '_' ({@code JUNCTION_HTTP_PUBLIC_PORT} is {@code http.public.port}). Values are read as the key's type.
 */
final class EnvOverrides {
  static final String PREFIX = "JUNCTION_";
  /** Variables that are not config keys: the config file path itself. */
  private static final List<String> RESERVED = List.of("JUNCTION_CONFIG");
  /**
   * Kubernetes injects service links for every Service (JUNCTION_SERVICE_HOST, JUNCTION_PORT_8080_TCP, ...).
   * A variable is taken for one only when its service's {@code <NAME>_SERVICE_HOST} is present too.
   */
  private static final Pattern SERVICE_LINK_TAIL = Pattern.compile("^(SERVICE_HOST|SERVICE_PORT(_[A-Z0-9_]+)?|PORT(_[0-9]+_(TCP|UDP|SCTP)(_[A-Z]+)?)?)$");

  private final Map<String, String> envToKey = new HashMap<>();
  private final ConfigSchema schema;

  EnvOverrides(ConfigSchema schema) {
    this.schema = schema;
    for (String key : schema.keys().keySet()) {
      envToKey.put(PREFIX + key.replace('.', '_').toUpperCase(Locale.ROOT), key);
    }
  }

  /** Applies every JUNCTION_* variable onto a copy of config; unknown or mistyped ones are problems. */
  JsonObject apply(JsonObject config, Map<String, String> env, List<String> problems) {
    JsonObject out = config.copy();
    List<String> linkedServices = env.keySet().stream().filter(n -> n.endsWith("_SERVICE_HOST"))
      .map(n -> n.substring(0, n.length() - "SERVICE_HOST".length())).toList();
    for (Map.Entry<String, String> e : new TreeMap<>(env).entrySet()) {
      String name = e.getKey();
      if (!name.startsWith(PREFIX) || RESERVED.contains(name)) {
        continue;
      }
      String key = envToKey.get(name);
      if (key == null) {
        if (!isServiceLink(name, linkedServices)) {
          problems.add("environment variable " + name + " does not name a config key (expected JUNCTION_ followed by a key path such as JUNCTION_HTTP_PUBLIC_PORT)");
        }
        continue;
      }
      Object value = convert(name, key, e.getValue(), problems);
      if (value != null) {
        put(out, key, value);
      }
    }
    return out;
  }

  private static boolean isServiceLink(String name, List<String> linkedServices) {
    return linkedServices.stream().anyMatch(prefix -> name.startsWith(prefix)
      && SERVICE_LINK_TAIL.matcher(name.substring(prefix.length())).matches());
  }

  private Object convert(String name, String key, String raw, List<String> problems) {
    JsonObject keySchema = schema.resolve(schema.keys().get(key));
    List<String> types = ConfigSchema.types(keySchema);
    String text = raw.trim();
    if (keySchema.containsKey("enum") || types.contains("string") && !types.contains("integer")) {
      return raw;
    }
    if (types.contains("integer")) {
      try {
        return Integer.parseInt(text);
      } catch (NumberFormatException notInt) {
        if (types.contains("string")) {
          return text;
        }
        problems.add("environment variable " + name + ": value \"" + raw + "\" is not an integer, expected an integer for config key '" + key + "'");
        return null;
      }
    }
    if (types.contains("boolean")) {
      if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
        return Boolean.parseBoolean(text.toLowerCase(Locale.ROOT));
      }
      problems.add("environment variable " + name + ": value \"" + raw + "\" is not a boolean, expected true or false for config key '" + key + "'");
      return null;
    }
    if (types.contains("object") || types.contains("array")) {
      try {
        return text.startsWith("[") ? new JsonArray(text) : new JsonObject(text);
      } catch (DecodeException e) {
        problems.add("environment variable " + name + ": value is not valid JSON, expected a JSON " + String.join(" or ", types) + " for config key '" + key + "'");
        return null;
      }
    }
    return raw;
  }

  static void put(JsonObject root, String dottedKey, Object value) {
    String[] parts = dottedKey.split("\\.");
    JsonObject node = root;
    for (int i = 0; i < parts.length - 1; i++) {
      Object child = node.getValue(parts[i]);
      if (!(child instanceof JsonObject)) {
        child = new JsonObject();
        node.put(parts[i], child);
      }
      node = (JsonObject) child;
    }
    node.put(parts[parts.length - 1], value);
  }
}
