package io.junction.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Map;

/** Reads one YAML document into JSON, with errors that name the source, line and column. */
public final class YamlReader {
  private YamlReader() {
  }

  /** An empty document is an empty object; anything but a mapping at the top is refused. */
  public static JsonObject read(String text, String source) {
    Object doc;
    try {
      LoaderOptions options = new LoaderOptions();
      options.setAllowDuplicateKeys(false);
      options.setMaxAliasesForCollections(50); // refuse "billion laughs" documents
      doc = new Yaml(new SafeConstructor(options)).load(text);
    } catch (MarkedYAMLException e) {
      Mark mark = e.getProblemMark();
      String where = mark == null ? "" : " at line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1);
      throw new ConfigException(source + " is not valid YAML" + where + ": " + e.getProblem());
    } catch (YAMLException e) {
      throw new ConfigException(source + " is not valid YAML: " + e.getMessage());
    }
    if (doc == null) {
      return new JsonObject();
    }
    if (!(doc instanceof Map<?, ?> map)) {
      throw new ConfigException(source + " must be a YAML mapping at the top level, found " + typeName(doc));
    }
    return toObject(map, source, "");
  }

  /**
   * One YAML value of any kind (a whole-map ConfigMap entry such as {@code logging.level: DEBUG} or
   * {@code gateway: <a YAML document>}): a mapping is a JsonObject, a list a JsonArray, else the scalar.
   */
  public static Object readValue(String text, String source) {
    Object value;
    try {
      LoaderOptions options = new LoaderOptions();
      options.setAllowDuplicateKeys(false);
      options.setMaxAliasesForCollections(50);
      value = new Yaml(new SafeConstructor(options)).load(text);
    } catch (MarkedYAMLException e) {
      Mark mark = e.getProblemMark();
      String where = mark == null ? "" : " at line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1);
      throw new ConfigException(source + " is not valid YAML" + where + ": " + e.getProblem());
    } catch (YAMLException e) {
      throw new ConfigException(source + " is not valid YAML: " + e.getMessage());
    }
    return value instanceof String ? value : toJson(value, source, "");
  }

  private static JsonObject toObject(Map<?, ?> map, String source, String path) {
    JsonObject out = new JsonObject();
    for (Map.Entry<?, ?> e : map.entrySet()) {
      if (!(e.getKey() instanceof String key)) {
        throw new ConfigException(source + ": key '" + e.getKey() + "' under '" + (path.isEmpty() ? "<top>" : path)
          + "' must be a string");
      }
      String child = path.isEmpty() ? key : path + "." + key;
      out.put(key, toJson(e.getValue(), source, child));
    }
    return out;
  }

  private static Object toJson(Object value, String source, String path) {
    if (value instanceof Map<?, ?> m) {
      return toObject(m, source, path);
    }
    if (value instanceof List<?> list) {
      JsonArray array = new JsonArray();
      for (int i = 0; i < list.size(); i++) {
        array.add(toJson(list.get(i), source, path + "[" + i + "]"));
      }
      return array;
    }
    if (value instanceof Date date) {
      // YAML timestamps become ISO-8601 text, the form route predicates (After/Before) read.
      return date.toInstant().atOffset(ZoneOffset.UTC).toString();
    }
    if (value instanceof byte[] bytes) {
      return bytes;
    }
    if (value instanceof java.math.BigInteger big) {
      throw new ConfigException(source + ": value " + big + " of '" + path + "' is too large");
    }
    return value;
  }

  private static String typeName(Object doc) {
    return doc instanceof List ? "a list" : "a " + doc.getClass().getSimpleName().toLowerCase();
  }
}
