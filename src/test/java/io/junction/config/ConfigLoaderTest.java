package io.junction.config;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigLoaderTest {
  @TempDir
  Path dir;

  private ConfigLoader loader(String yaml, Map<String, String> env) throws IOException {
    Path file = dir.resolve("junction.yaml");
    Files.writeString(file, yaml);
    Map<String, String> all = new HashMap<>(env);
    all.put("JUNCTION_CONFIG", file.toString());
    return new ConfigLoader(all);
  }

  @Test
  void noFileAtAllGivesTheEmbeddedDefaults() {
    JsonObject config = new ConfigLoader(Map.of()).load();
    assertThat(config.getJsonObject("http").getJsonObject("public").getInteger("port")).isEqualTo(8080);
    assertThat(config.getJsonObject("http").getJsonObject("admin").getInteger("port")).isEqualTo(8081);
    assertThat(config.getJsonObject("storage").getString("url")).isEmpty();
    assertThat(config.getJsonObject("logging").getString("format")).isEqualTo("json");
  }

  @Test
  void fileOverridesDefaultsAndEnvOverridesFile() throws IOException {
    ConfigLoader loader = loader("http:\n  public:\n    port: 9000\nlogging:\n  level: DEBUG\n",
      Map.of("JUNCTION_HTTP_PUBLIC_PORT", "9100", "JUNCTION_STORAGE_URL", "postgresql://u:p@db:5432/j",
        "JUNCTION_VERTX_TRANSPORT", "nio"));
    JsonObject config = loader.load();
    assertThat(config.getJsonObject("http").getJsonObject("public").getInteger("port")).isEqualTo(9100);
    assertThat(config.getJsonObject("http").getJsonObject("public").getString("host")).isEqualTo("0.0.0.0");
    assertThat(config.getJsonObject("logging").getString("level")).isEqualTo("DEBUG");
    assertThat(config.getJsonObject("storage").getString("url")).isEqualTo("postgresql://u:p@db:5432/j");
    assertThat(config.getJsonObject("vertx").getString("transport")).isEqualTo("nio");
  }

  @Test
  void malformedYamlNamesFileLineAndColumn() throws IOException {
    ConfigLoader loader = loader("http:\n  public:\n    port: 8080\n   admin: [\n", Map.of());
    assertThatThrownBy(loader::load).isInstanceOf(ConfigException.class)
      .hasMessageContaining("junction.yaml is not valid YAML at line")
      .hasMessageContaining("column");
  }

  @Test
  void aListAtTheTopIsRefused() throws IOException {
    assertThatThrownBy(loader("- a\n- b\n", Map.of())::load).hasMessageContaining("must be a YAML mapping at the top level");
  }

  @Test
  void duplicateKeysAreRefused() throws IOException {
    assertThatThrownBy(loader("http:\n  instances: 1\n  instances: 2\n", Map.of())::load).isInstanceOf(ConfigException.class)
      .hasMessageContaining("instances");
  }

  @Test
  void unknownKeyIsNamedWithTheKnownOnes() throws IOException {
    assertThatThrownBy(loader("http:\n  pubic:\n    port: 8080\n", Map.of())::load)
      .isInstanceOf(ConfigException.class)
      .hasMessageContaining("config key 'http.pubic' is unknown")
      .hasMessageContaining("public, admin");
  }

  @Test
  void unknownTopLevelKeyIsNamed() throws IOException {
    assertThatThrownBy(loader("storgae:\n  url: x\n", Map.of())::load)
      .hasMessageContaining("config key 'storgae' is unknown; known keys at the top level are http, storage");
  }

  @Test
  void wrongTypeNamesKeyValueAndExpectation() throws IOException {
    assertThatThrownBy(loader("http:\n  public:\n    port: eighty\n", Map.of())::load)
      .isInstanceOf(ConfigException.class)
      .hasMessageContaining("config key 'http.public.port': value \"eighty\" is a string, expected integer");
  }

  @Test
  void outOfRangeAndEnumAndDurationProblemsAreNamed() throws IOException {
    ConfigLoader loader = loader("http:\n  public:\n    port: 70000\nlogging:\n  format: xml\nshutdown:\n  gracePeriod: 5 seconds\n", Map.of());
    assertThatThrownBy(loader::load).isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).satisfiesExactlyInAnyOrder(
      p -> assertThat(p).contains("'http.public.port': value 70000 is out of range, expected 0 to 65535"),
      p -> assertThat(p).contains("'logging.format': value \"xml\" is not allowed, expected one of [\"json\",\"text\"]"),
      p -> assertThat(p).contains("'shutdown.gracePeriod': value \"5 seconds\" is not valid, expected milliseconds as an integer, or a string such as 250ms")));
  }

  @Test
  void badEnvOverrideNamesTheVariableValueAndKey() throws IOException {
    assertThatThrownBy(loader("", Map.of("JUNCTION_HTTP_ADMIN_PORT", "80a"))::load)
      .isInstanceOf(ConfigException.class)
      .hasMessageContaining("environment variable JUNCTION_HTTP_ADMIN_PORT: value \"80a\" is not an integer, expected an integer for config key 'http.admin.port'");
    assertThatThrownBy(loader("", Map.of("JUNCTION_HTTP_ACCESSLOG", "yes"))::load)
      .hasMessageContaining("JUNCTION_HTTP_ACCESSLOG: value \"yes\" is not a boolean");
    assertThatThrownBy(loader("", Map.of("JUNCTION_HTTP_ADMIN_PORT", "99999"))::load)
      .hasMessageContaining("'http.admin.port': value 99999 is out of range");
  }

  @Test
  void unknownEnvOverrideIsRefusedButKubernetesServiceLinksAreNot() throws IOException {
    assertThatThrownBy(loader("", Map.of("JUNCTION_HTTP_PUBLC_PORT", "1"))::load)
      .hasMessageContaining("environment variable JUNCTION_HTTP_PUBLC_PORT does not name a config key");
    JsonObject config = loader("", Map.of("JUNCTION_SERVICE_HOST", "10.0.0.1", "JUNCTION_PORT", "tcp://10.0.0.1:8080",
      "JUNCTION_PORT_8080_TCP_ADDR", "10.0.0.1", "JUNCTION_ADMIN_SERVICE_HOST", "10.0.0.2",
      "JUNCTION_ADMIN_SERVICE_PORT_HTTP", "8081")).load();
    assertThat(config.getJsonObject("http").getJsonObject("public").getInteger("port")).isEqualTo(8080);
  }

  @Test
  void camelCaseKeysMapFromUppercaseEnv() throws IOException {
    JsonObject config = loader("", Map.of("JUNCTION_KAFKA_BOOTSTRAPSERVERS", "127.0.0.1:9092", "JUNCTION_SHUTDOWN_GRACEPERIOD", "2500")).load();
    assertThat(config.getJsonObject("kafka").getString("bootstrapServers")).isEqualTo("127.0.0.1:9092");
    assertThat(Durations.parse(config.getJsonObject("shutdown").getValue("gracePeriod"))).isEqualTo(Duration.ofMillis(2500));
  }

  @Test
  void explicitConfigFileMustExist() {
    ConfigLoader loader = new ConfigLoader(Map.of("JUNCTION_CONFIG", dir.resolve("nope.yaml").toString()));
    assertThatThrownBy(loader::load).hasMessageContaining("nope.yaml (from JUNCTION_CONFIG) does not exist");
  }

  @Test
  void everyProblemIsReportedAtOnce() throws IOException {
    ConfigException e = (ConfigException) org.assertj.core.api.Assertions.catchThrowable(
      loader("http:\n  instances: many\n  bogus: 1\n", Map.of())::load);
    assertThat(e.problems()).hasSize(2);
    assertThat(e.getMessage()).startsWith("2 configuration problems");
  }

  @Test
  void durationsReadEveryUnit() {
    assertThat(Durations.parse("250ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(Durations.parse("5s")).isEqualTo(Duration.ofSeconds(5));
    assertThat(Durations.parse("2m")).isEqualTo(Duration.ofMinutes(2));
    assertThat(Durations.parse("1h")).isEqualTo(Duration.ofHours(1));
    assertThat(Durations.parse(1500)).isEqualTo(Duration.ofMillis(1500));
    assertThatThrownBy(() -> Durations.parse("5 s")).hasMessageContaining("not a duration");
  }

  @Test
  void yamlTimestampsBecomeIsoText() {
    JsonObject json = YamlReader.read("at: 2017-01-20T17:42:47.789-07:00\n", "t");
    assertThat(json.getString("at")).isEqualTo("2017-01-21T00:42:47.789Z");
  }
}
