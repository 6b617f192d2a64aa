package io.junction.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The shape of the configuration, read from {@code config/junction-schema.json} (a JSON Schema subset:
 * type, properties, additionalProperties, $ref to $defs, enum, minimum, maximum, minLength, pattern).
 * We walk it ourselves rather than use a general validator because operators need one precise line per
 * problem — key, value, expectation — not the cascade of nested failures a generic validator reports.
 */
public final class ConfigSchema {
  private static final ConfigSchema DEFAULT = load("/config/junction-schema.json");

  private final JsonObject root;
  private final Map<String, JsonObject> leaves = new LinkedHashMap<>();

  private ConfigSchema(JsonObject root) {
    this.root = root;
    collectLeaves(root, "");
  }

  public static ConfigSchema get() {
    return DEFAULT;
  }

  static ConfigSchema load(String resource) {
    try (InputStream in = ConfigSchema.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + resource);
      }
      return new ConfigSchema(new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + resource, e);
    }
  }

  /** Every settable key path (dotted) with its schema, including whole free-form sections like gateway. */
  public Map<String, JsonObject> keys() {
    return leaves;
  }

  /** Problems of the document, each naming the key, the value and what was expected; empty when valid. */
  public List<String> validate(JsonObject config) {
    List<String> problems = new ArrayList<>();
    check(root, config, "", problems);
    return problems;
  }

  private void collectLeaves(JsonObject schema, String path) {
    JsonObject s = resolve(schema);
    JsonObject props = s.getJsonObject("properties");
    if (props == null) {
      leaves.put(path, s);
      return;
    }
    if (!path.isEmpty()) {
      leaves.put(path, s);
    }
    for (String name : props.fieldNames()) {
      collectLeaves(props.getJsonObject(name), path.isEmpty() ? name : path + "." + name);
    }
  }

  JsonObject resolve(JsonObject schema) {
    String ref = schema.getString("$ref");
    if (ref == null) {
      return schema;
    }
    if (!ref.startsWith("#/$defs/")) {
      throw new IllegalStateException("unsupported $ref " + ref);
    }
    return resolve(root.getJsonObject("$defs").getJsonObject(ref.substring("#/$defs/".length())));
  }

  private void check(JsonObject schema, Object value, String path, List<String> problems) {
    JsonObject s = resolve(schema);
    String key = path.isEmpty() ? "<top level>" : path;
    JsonArray allowed = s.getJsonArray("enum");
    if (allowed != null) {
      if (!allowed.contains(value)) {
        problems.add("config key '" + key + "': value " + show(value) + " is not allowed, expected one of " + allowed.encode());
      }
      return;
    }
    List<String> types = types(s);
    String actual = typeOf(value);
    if (!types.isEmpty() && !types.contains(actual) && !(actual.equals("integer") && types.contains("number"))) {
      problems.add("config key '" + key + "': value " + show(value) + " is " + article(actual) + ", expected "
        + String.join(" or ", types) + describe(s));
      return;
    }
    switch (actual) {
      case "object" -> checkObject(s, (JsonObject) value, path, problems);
      case "integer", "number" -> checkNumber(s, (Number) value, key, problems);
      case "string" -> checkString(s, (String) value, key, problems);
      default -> { }
    }
  }

  private void checkObject(JsonObject s, JsonObject value, String path, List<String> problems) {
    JsonObject props = s.getJsonObject("properties");
    if (props == null) {
      return; // free-form section, validated by its module
    }
    boolean closed = Boolean.FALSE.equals(s.getValue("additionalProperties"));
    for (String name : value.fieldNames()) {
      String child = path.isEmpty() ? name : path + "." + name;
      JsonObject childSchema = props.getJsonObject(name);
      if (childSchema == null) {
        if (closed) {
          problems.add("config key '" + child + "' is unknown; known keys " + (path.isEmpty() ? "at the top level" : "under '" + path + "'")
            + " are " + String.join(", ", props.fieldNames()));
        }
        continue;
      }
      check(childSchema, value.getValue(name), child, problems);
    }
  }

  private static void checkNumber(JsonObject s, Number value, String key, List<String> problems) {
    Number min = s.getNumber("minimum");
    Number max = s.getNumber("maximum");
    if ((min != null && value.doubleValue() < min.doubleValue()) || (max != null && value.doubleValue() > max.doubleValue())) {
      problems.add("config key '" + key + "': value " + value + " is out of range, expected "
        + (min != null ? min : "-inf") + " to " + (max != null ? max : "+inf"));
    }
  }

  private static void checkString(JsonObject s, String value, String key, List<String> problems) {
    Integer minLength = s.getInteger("minLength");
    if (minLength != null && value.length() < minLength) {
      problems.add("config key '" + key + "': value " + show(value) + " is too short, expected at least " + minLength + " characters");
      return;
    }
    String pattern = s.getString("pattern");
    if (pattern != null && !Pattern.compile(pattern).matcher(value).find()) {
      problems.add("config key '" + key + "': value " + show(value) + " is not valid, expected " + expectation(s, pattern));
    }
  }

  private static String expectation(JsonObject s, String pattern) {
    String description = s.getString("description");
    return description != null ? description : "a value matching " + pattern;
  }

  private static String describe(JsonObject s) {
    String description = s.getString("description");
    return description == null ? "" : " (" + description + ")";
  }

  static List<String> types(JsonObject s) {
    Object type = s.getValue("type");
    if (type instanceof String t) {
      return List.of(t);
    }
    if (type instanceof JsonArray a) {
      List<String> out = new ArrayList<>();
      a.forEach(t -> out.add((String) t));
      return out;
    }
    return List.of();
  }

  static String typeOf(Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof JsonObject) {
      return "object";
    }
    if (value instanceof JsonArray) {
      return "array";
    }
    if (value instanceof Boolean) {
      return "boolean";
    }
    if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
      return "integer";
    }
    if (value instanceof Number) {
      return "number";
    }
    return "string";
  }

  private static String article(String type) {
    return switch (type) {
      case "null" -> "empty";
      case "object", "array", "integer" -> "an " + type;
      default -> "a " + type;
    };
  }

  static String show(Object value) {
    if (value instanceof String s) {
      return "\"" + s + "\"";
    }
    String text = value instanceof JsonObject || value instanceof JsonArray ? value.toString() : String.valueOf(value);
    return text.length() > 80 ? text.substring(0, 77) + "..." : text;
  }
}
