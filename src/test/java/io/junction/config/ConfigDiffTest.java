package io.junction.config;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Diffs by key (routes by id), redaction of credentials, restart-only keys, order-independent hashes. */
class ConfigDiffTest {
  static JsonObject config(String yaml) {
    return YamlReader.read(yaml, "test");
  }

  @Test
  void routesAreComparedByIdAndEveryChangeNamesItsKey() {
    JsonObject before = config("gateway: {routes: [{id: a, uri: 'http://x'}, {id: b, uri: 'http://y'}]}\nlogging: {level: INFO}");
    JsonObject after = config("gateway: {routes: [{id: b, uri: 'http://z'}, {id: c, uri: 'http://y'}]}\nlogging: {level: DEBUG}");
    List<ConfigDiff.Change> changes = ConfigDiff.changes(before, after);
    assertThat(changes).extracting(c -> c.key() + " " + c.kind()).containsExactly(
      "gateway.routes[a] removed", "gateway.routes[b] changed", "gateway.routes[c] added", "logging.level changed");
    assertThat(ConfigDiff.needingRestart(changes)).isEmpty();
  }

  @Test
  void listenPortsAndTheStorageUrlNeedARestart() {
    List<ConfigDiff.Change> changes = ConfigDiff.changes(config("http: {public: {port: 8080}}\nstorage: {url: ''}\nconfig: {scanPeriod: 1s}"),
      config("http: {public: {port: 9090}}\nstorage: {url: 'postgresql://u:p@h/db'}\nconfig: {scanPeriod: 2s}"));
    assertThat(ConfigDiff.needingRestart(changes)).containsExactly("http.public.port", "storage.url");
  }

  @Test
  void credentialsNeverLeaveRedacted() {
    JsonObject c = config("identity: {bootstrapAdmin: {password: hunter2hunter2}, jwt: {privateKey: PEM, issuer: junction}}\n"
      + "storage: {url: 'postgresql://junction:s3cret@db:5432/junction'}\nredis: {url: 'redis://:pw@cache:6379'}");
    JsonObject r = ConfigDiff.redacted(c);
    assertThat(r.encode()).doesNotContain("hunter2").doesNotContain("PEM").doesNotContain("s3cret").doesNotContain(":pw@");
    assertThat(r.getJsonObject("storage").getString("url")).isEqualTo("postgresql://junction:***@db:5432/junction");
    assertThat(r.getJsonObject("identity").getJsonObject("jwt").getString("issuer")).isEqualTo("junction");
    List<ConfigDiff.Change> changes = ConfigDiff.changes(c, config("identity: {bootstrapAdmin: {password: other-password}}"));
    assertThat(changes.toString()).doesNotContain("hunter2").doesNotContain("other-password");
  }

  @Test
  void theHashIgnoresKeyOrder() {
    assertThat(ConfigDiff.hash(config("a: 1\nb: {c: 2, d: 3}"))).isEqualTo(ConfigDiff.hash(config("b: {d: 3, c: 2}\na: 1")))
      .isNotEqualTo(ConfigDiff.hash(config("a: 1\nb: {c: 2, d: 4}"))).hasSize(64);
  }
}
