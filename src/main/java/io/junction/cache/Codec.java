package io.junction.cache;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * How one cache's values travel to Redis (L2): as JSON text, so any node, any version and redis-cli can read
 * them. A value that does not decode is treated as a miss (and overwritten), never as an error for the caller.
 */
public interface Codec<V> {
  String encode(V value);

  /** Throws on text that is not a value of this codec. */
  V decode(String text);

  Codec<JsonObject> JSON_OBJECT = new Codec<>() {
    @Override
    public String encode(JsonObject value) {
      return value.encode();
    }

    @Override
    public JsonObject decode(String text) {
      return new JsonObject(text);
    }
  };

  Codec<JsonArray> JSON_ARRAY = new Codec<>() {
    @Override
    public String encode(JsonArray value) {
      return value.encode();
    }

    @Override
    public JsonArray decode(String text) {
      return new JsonArray(text);
    }
  };

  /** A JSON string literal ("abc"), so that the literal null stays free to mean "not found". */
  Codec<String> STRING = new Codec<>() {
    @Override
    public String encode(String value) {
      return io.vertx.core.json.Json.encode(value);
    }

    @Override
    public String decode(String text) {
      Object decoded = io.vertx.core.json.Json.decodeValue(text);
      if (!(decoded instanceof String s)) {
        throw new IllegalArgumentException("not a JSON string");
      }
      return s;
    }
  };
}
