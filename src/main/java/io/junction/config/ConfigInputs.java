package io.junction.config;

import io.vertx.config.spi.utils.JsonObjectHelper;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;

/**
 * What the sources last said, as read (file text, ConfigMap payload, Secret payload), and how it becomes
 * configuration layers. A ConfigMap or Secret payload is the text of one key (a YAML document, like
 * {@code junction.yaml}) or, in whole-map mode, the map's entries, each named by a key path
 * ({@code logging.level: DEBUG}, {@code gateway: <YAML>}, {@code identity.bootstrapAdmin.password: ...}).
 *
 * @param file      the config file's text, null when it does not exist
 * @param configMap null when Kubernetes is off or the map is absent (deleted); String (key mode) or JsonObject
 * @param mapKnown  false until the ConfigMap was read once (and while it is not wanted)
 * @param secret    null when no Secret is configured; String (key mode) or JsonObject
 */
record ConfigInputs(String file, Object configMap, boolean mapKnown, Object secret) {

  /** The store's whole-map payload of a ConfigMap object (watch events), converted as the store converts it. */
  static Object fromConfigMap(JsonObject configMap, KubernetesSettings kube) {
    if (configMap == null) {
      return null;
    }
    JsonObject data = configMap.getJsonObject("data");
    if (data == null) {
      data = new JsonObject();
    }
    if (!kube.wholeMap()) {
      Object text = data.getValue(kube.key());
      return text == null ? new MissingKey(kube.key()) : String.valueOf(text);
    }
    JsonObject out = new JsonObject();
    data.forEach(e -> out.put(e.getKey(), JsonObjectHelper.convert(String.valueOf(e.getValue()))));
    return out;
  }

  /** A key-mode ConfigMap whose key is not there (the store fails the read; the watch reports it). */
  record MissingKey(String key) {
  }

  /** The store's raw output of a source: text in key mode, the map's JSON in whole-map mode. */
  static Object fromStore(String raw, boolean wholeMap) {
    if (raw == null) {
      return null;
    }
    return wholeMap ? new JsonObject(raw) : raw;
  }

  String hash() {
    JsonArray all = new JsonArray().add(file == null ? "<absent>" : file).add(token(configMap)).add(mapKnown).add(token(secret));
    return ConfigDiff.hash(all);
  }

  private static Object token(Object payload) {
    return payload == null ? "<absent>" : payload instanceof MissingKey m ? "<missing " + m.key() + ">" : payload;
  }

  /** One configuration layer from a payload; problems name the source and the key. */
  static JsonObject layer(Object payload, String source, boolean secret, ConfigSchema schema, List<String> problems) {
    if (payload instanceof MissingKey m) {
      problems.add(source + ": the key '" + m.key() + "' is missing; an empty document is never applied");
      return new JsonObject();
    }
    if (payload instanceof String text) {
      JsonObject doc = YamlReader.read(text, source);
      if (doc.isEmpty()) {
        problems.add(source + " is empty; an empty document is never applied");
      }
      return doc;
    }
    JsonObject entries = (JsonObject) payload;
    if (entries.isEmpty()) {
      problems.add(source + " has no entries; an empty map is never applied");
    }
    JsonObject out = new JsonObject();
    for (Map.Entry<String, Object> e : entries) {
      String key = e.getKey();
      JsonObject keySchema = schema.keys().get(key);
      if (keySchema == null) {
        problems.add(source + ": entry '" + key + "' does not name a config key (expected a key path such as logging.level or a section such as gateway)");
        continue;
      }
      Object value = entryValue(key, e.getValue(), ConfigSchema.types(schema.resolve(keySchema)), source, secret, problems);
      if (value != null) {
        EnvOverrides.put(out, key, value);
      }
    }
    return out;
  }

  /**
   * The ConfigMap store converts whole-map values (numbers, booleans, JSON, comma lists) before we see them, which
   * loses text ("0123" becomes 123): a converted value where text is expected is refused, never guessed back.
   */
  private static Object entryValue(String key, Object value, List<String> types, String source, boolean secret, List<String> problems) {
    boolean structured = types.contains("object") || types.contains("array");
    if (value instanceof String s) {
      if (structured) {
        return YamlReader.readValue(s, source + " entry '" + key + "'");
      }
      if (types.contains("integer") && s.matches("-?[0-9]+")) {
        return Integer.parseInt(s);
      }
      return s;
    }
    if ((value instanceof BigInteger || value instanceof BigDecimal) && (types.contains("integer") || types.contains("number"))) {
      return ((Number) value).intValue();
    }
    if (value instanceof Boolean && types.contains("boolean")) {
      return value;
    }
    if ((value instanceof JsonObject || value instanceof JsonArray) && structured) {
      return value;
    }
    if (types.contains("string")) {
      problems.add(source + ": entry '" + key + "' was read by the Kubernetes store as " + ConfigSchema.typeOf(value)
        + " (" + (secret ? "value hidden" : ConfigSchema.show(value)) + ") and its text may have changed; put it in a YAML document under "
        + (secret ? "config.kubernetes.secretKey" : "config.kubernetes.key") + " instead");
      return null;
    }
    return value;
  }
}
