package io.junction.config;

import java.util.List;

/** A configuration that Junction refuses: every problem names the key, the value and what was expected. */
public class ConfigException extends RuntimeException {
  private final List<String> problems;

  public ConfigException(List<String> problems) {
    super(problems.size() == 1 ? problems.get(0) : problems.size() + " configuration problems: " + String.join("; ", problems));
    this.problems = List.copyOf(problems);
  }

  public ConfigException(String problem) {
    this(List.of(problem));
  }

  public List<String> problems() {
    return problems;
  }
}
