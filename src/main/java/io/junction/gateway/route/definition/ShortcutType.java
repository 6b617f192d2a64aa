package io.junction.gateway.route.definition;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How positional (shortcut) values are given names, as Spring Cloud Gateway's
 * {@code ShortcutConfigurable.ShortcutType}.
 */
public enum ShortcutType {

  /** The i-th value goes to the i-th field: {@code Header=X-Id, \d+} → header, regexp. */
  DEFAULT {
    @Override
    Map<String, Object> name(String item, List<Object> values, List<String> fields)
        throws DefinitionException {
      if (values.size() > fields.size()) {
        throw new DefinitionException("too many arguments: " + item + " takes at most "
            + fields.size() + " " + fields + " but got " + values.size() + " " + values
            + " (a value containing ',' needs the expanded {name, args} form)");
      }
      Map<String, Object> named = new LinkedHashMap<>();
      for (int i = 0; i < values.size(); i++) {
        named.put(fields.get(i), values.get(i));
      }
      return named;
    }
  },

  /** All values form one list in the single field: {@code Method=GET,POST} → methods. */
  GATHER_LIST {
    @Override
    Map<String, Object> name(String item, List<Object> values, List<String> fields) {
      Map<String, Object> named = new LinkedHashMap<>();
      named.put(fields.get(0), new ArrayList<>(values));
      return named;
    }
  },

  /**
   * All values form a list in the first field, except a last {@code true} or
   * {@code false}, which sets the second field: {@code Path=/a,/b,false}.
   */
  GATHER_LIST_TAIL_FLAG {
    @Override
    Map<String, Object> name(String item, List<Object> values, List<String> fields) {
      List<Object> list = new ArrayList<>(values);
      Map<String, Object> named = new LinkedHashMap<>();
      if (!list.isEmpty()) {
        String last = String.valueOf(list.get(list.size() - 1));
        if (last.equalsIgnoreCase("true") || last.equalsIgnoreCase("false")) {
          list.remove(list.size() - 1);
          named.put(fields.get(1), Boolean.valueOf(last));
        }
      }
      named.put(fields.get(0), list);
      return named;
    }
  };

  /** Names the positional values of item {@code item} by the factory's field order. */
  abstract Map<String, Object> name(String item, List<Object> values, List<String> fields)
      throws DefinitionException;
}
