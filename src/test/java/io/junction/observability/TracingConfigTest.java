package io.junction.observability;

import io.junction.config.ConfigException;
import io.junction.config.ConfigLoader;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** tracing.* as operators set it: defaults off, env overrides (the ratio arrives as text), bad values refused. */
class TracingConfigTest {
  @TempDir
  Path dir;

  private JsonObject load(Map<String, String> env) throws Exception {
    Path file = Files.writeString(dir.resolve("junction.yaml"), "");
    java.util.HashMap<String, String> all = new java.util.HashMap<>(env);
    all.put(ConfigLoader.CONFIG_ENV, file.toString());
    return new ConfigLoader(all).load().getJsonObject("tracing");
  }

  @Test
  void offByDefaultBuildsNothing() throws Exception {
    JsonObject tracing = load(Map.of());
    assertThat(tracing.getBoolean("enabled")).isFalse();
    Tracing built = Tracing.create(tracing, new SimpleMeterRegistry());
    assertThat(built.enabled()).isFalse();
    assertThat(built.instanceId()).isNull();
  }

  @Test
  void envOverridesTurnItOnWithARatio() throws Exception {
    JsonObject tracing = load(Map.of("JUNCTION_TRACING_ENABLED", "true", "JUNCTION_TRACING_EXPORTER", "none",
      "JUNCTION_TRACING_SAMPLERATIO", "0.01", "JUNCTION_TRACING_QUEUESIZE", "64"));
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    try (Tracing built = Tracing.create(tracing, meters)) {
      assertThat(built.enabled()).isTrue();
      assertThat(built.instanceId()).isNotBlank();
      assertThat(meters.find("junction.tracing.spans.dropped").functionCounter()).isNotNull();
    }
  }

  @Test
  void aRatioOutOfRangeOrNotANumberIsRefused() {
    assertThatThrownBy(() -> load(Map.of("JUNCTION_TRACING_SAMPLERATIO", "2"))).isInstanceOf(ConfigException.class)
      .hasMessageContaining("tracing.sampleRatio");
    assertThatThrownBy(() -> load(Map.of("JUNCTION_TRACING_SAMPLERATIO", "half"))).isInstanceOf(ConfigException.class)
      .hasMessageContaining("tracing.sampleRatio");
    assertThatThrownBy(() -> load(Map.of("JUNCTION_TRACING_EXPORTER", "zipkin"))).isInstanceOf(ConfigException.class)
      .hasMessageContaining("tracing.exporter");
  }
}
