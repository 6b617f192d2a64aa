package io.junction.config;

import io.junction.testkit.JunctionTestKit;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Editing the config file changes the running instance; a broken edit is refused and the last good config kept. */
class ConfigReloadTest {
  static JunctionTestKit kit;
  static final BlockingQueue<JsonObject> gatewayChanges = new LinkedBlockingQueue<>();

  @BeforeAll
  static void start() throws Exception {
    kit = JunctionTestKit.builder().yaml("gateway:\n  routes: []\n").start();
    kit.vertx().eventBus().<JsonObject>consumer("junction.config.changed.gateway", msg -> gatewayChanges.add(msg.body()))
      .completion().await(5, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() {
    kit.close();
  }

  private static JsonObject applied() throws Exception {
    return (JsonObject) kit.vertx().eventBus().request("junction.config.get", null).await(5, TimeUnit.SECONDS).body();
  }

  @Test
  void goodEditIsPublishedAndBrokenEditsKeepTheLastGoodConfig() throws Exception {
    kit.writeConfig("gateway:\n  routes:\n    - id: a\n      uri: http://127.0.0.1:1\n");
    JsonObject change = gatewayChanges.poll(5, TimeUnit.SECONDS);
    assertThat(change).isNotNull();
    assertThat(change.getJsonArray("routes").getJsonObject(0).getString("id")).isEqualTo("a");

    kit.writeConfig("gateway:\n  routes: [\n");           // malformed YAML
    kit.writeConfig("http:\n  public:\n    port: many\n"); // wrong type
    kit.writeConfig("bogus: 1\n");                         // unknown key
    kit.writeConfig("");                                   // emptied file
    Thread.sleep(600); // several scan periods
    assertThat(gatewayChanges).isEmpty();
    assertThat(applied().getJsonObject("gateway").getJsonArray("routes").getJsonObject(0).getString("id")).isEqualTo("a");
    assertThat(kit.admin("/health/ready").statusCode()).isEqualTo(200);

    kit.writeConfig("gateway:\n  routes:\n    - id: b\n      uri: http://127.0.0.1:2\n");
    JsonObject next = gatewayChanges.poll(5, TimeUnit.SECONDS);
    assertThat(next).isNotNull();
    assertThat(next.getJsonArray("routes").getJsonObject(0).getString("id")).isEqualTo("b");
  }
}
