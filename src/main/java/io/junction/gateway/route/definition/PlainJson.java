package io.junction.gateway.route.definition;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns Vert.x JSON wrappers into plain maps and lists so the route model stays plain data. */
final class PlainJson {

  private PlainJson() {
  }

  static Object toPlain(Object value) {
    if (value instanceof JsonObject json) {
      return toPlainMap(json.getMap());
    }
    if (value instanceof Map<?, ?> map) {
      return toPlainMap(map);
    }
    if (value instanceof JsonArray array) {
      return toPlainList(array.getList());
    }
    if (value instanceof List<?> list) {
      return toPlainList(list);
    }
    return value;
  }

  static Map<String, Object> toPlainMap(Map<?, ?> map) {
    Map<String, Object> out = new LinkedHashMap<>();
    map.forEach((k, v) -> out.put(String.valueOf(k), toPlain(v)));
    return out;
  }

  private static List<Object> toPlainList(List<?> list) {
    List<Object> out = new ArrayList<>(list.size());
    list.forEach(v -> out.add(toPlain(v)));
    return out;
  }

  static boolean isObject(Object value) {
    return value instanceof JsonObject || value instanceof Map;
  }

  static boolean isArray(Object value) {
    return value instanceof JsonArray || value instanceof List;
  }
}
