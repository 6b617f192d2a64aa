package io.junction.observability;

import io.junction.testkit.JunctionTestKit;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** One scrape of /metrics, parsed: series (name and labels) → value. */
final class Scrape {
  /** A series: metric name and its labels, sorted. */
  record Series(String name, Map<String, String> labels) {
  }

  private final Map<Series, Double> values;

  private Scrape(Map<Series, Double> values) {
    this.values = values;
  }

  static Scrape of(JunctionTestKit kit) {
    var response = kit.admin("/metrics");
    if (response.statusCode() != 200) {
      throw new AssertionError("/metrics answered " + response.statusCode());
    }
    return parse(response.body());
  }

  static Scrape parse(String text) {
    Map<Series, Double> values = new LinkedHashMap<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int brace = line.indexOf('{');
      int space = line.lastIndexOf(' ');
      String name;
      Map<String, String> labels = new TreeMap<>();
      if (brace >= 0 && brace < space) {
        name = line.substring(0, brace);
        int close = line.lastIndexOf('}');
        parseLabels(line.substring(brace + 1, close), labels);
      } else {
        name = line.substring(0, space);
      }
      values.put(new Series(name, labels), Double.parseDouble(line.substring(space + 1)));
    }
    return new Scrape(values);
  }

  private static void parseLabels(String s, Map<String, String> into) {
    int i = 0;
    while (i < s.length()) {
      int eq = s.indexOf('=', i);
      String key = s.substring(i, eq);
      StringBuilder value = new StringBuilder();
      int j = eq + 2; // skip ="
      while (s.charAt(j) != '"') {
        if (s.charAt(j) == '\\') {
          j++;
        }
        value.append(s.charAt(j++));
      }
      into.put(key, value.toString());
      i = j + 1;
      if (i < s.length() && s.charAt(i) == ',') {
        i++;
      }
    }
  }

  Set<Series> series() {
    return values.keySet();
  }

  /** The value of the one series with this name whose labels include these; null when there is none. */
  Double value(String name, String... labels) {
    Map<String, String> wanted = new HashMap<>();
    for (int i = 0; i < labels.length; i += 2) {
      wanted.put(labels[i], labels[i + 1]);
    }
    Double found = null;
    for (var e : values.entrySet()) {
      if (e.getKey().name().equals(name) && e.getKey().labels().entrySet().containsAll(wanted.entrySet())) {
        if (found != null) {
          throw new AssertionError("several series " + name + " with " + wanted);
        }
        found = e.getValue();
      }
    }
    return found;
  }

  /** The sum over every series with this name whose labels include these. */
  double sum(String name, String... labels) {
    Map<String, String> wanted = new HashMap<>();
    for (int i = 0; i < labels.length; i += 2) {
      wanted.put(labels[i], labels[i + 1]);
    }
    double sum = 0;
    for (var e : values.entrySet()) {
      if (e.getKey().name().equals(name) && e.getKey().labels().entrySet().containsAll(wanted.entrySet())) {
        sum += e.getValue();
      }
    }
    return sum;
  }
}
