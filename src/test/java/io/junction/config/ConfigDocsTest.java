package io.junction.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** docs/configuration.md documents every key the schema accepts, so the docs cannot fall behind the code. */
class ConfigDocsTest {
  @Test
  void everyKeyIsDocumented() throws Exception {
    String docs = Files.readString(Path.of("docs/configuration.md"));
    for (var entry : ConfigSchema.get().keys().entrySet()) {
      boolean section = entry.getValue().containsKey("properties");
      if (!section) {
        assertThat(docs).as("docs/configuration.md documents " + entry.getKey()).contains("| `" + entry.getKey() + "` |");
      }
    }
  }
}
