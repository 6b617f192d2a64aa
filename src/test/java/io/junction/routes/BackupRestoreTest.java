package io.junction.routes;

import io.junction.config.YamlReader;
import io.junction.testkit.ContractClient;
import io.junction.testkit.Eventually;
import io.junction.testkit.JunctionTestKit;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static io.junction.routes.RoutesApiTest.route;
import static org.assertj.core.api.Assertions.assertThat;

/** Backup → wipe → restore gives the same routes; a backup with one bad route changes nothing; scheduled backups rotate. */
class BackupRestoreTest extends AlphaJunction {
  private static JsonArray stored(String kind) {
    return client.call("GET", "/api/v1/" + kind + "?source=api&limit=200", null).json().getJsonArray("items");
  }

  private static JsonArray definitions(String kind) {
    JsonArray out = new JsonArray();
    stored(kind).forEach(i -> out.add(((JsonObject) i).getJsonObject("definition")));
    return out;
  }

  private static String upstreamOf(String path) {
    var r = kit.get(path);
    return r.statusCode() == 200 ? new JsonObject(r.body()).getString("upstream") : "status " + r.statusCode();
  }

  @Test
  void backupWipeRestoreGivesIdenticalRoutesAndFailedRestoresChangeNothing() throws Exception {
    assertThat(client.call("POST", "/api/v1/services", new JsonObject().put("id", "svc").put("instances", new JsonArray().add(alpha.url()))).status())
      .isEqualTo(201);
    client.create(route("r-one", "lb://svc", "/one/**").put("filters", new JsonArray().add("StripPrefix=1")));
    client.create(route("r-two", alpha.url(), "/two/**").put("order", 3).put("metadata", new JsonObject().put("response-timeout", 1500)));
    assertThat(client.call("POST", "/api/v1/roles", new JsonObject().put("id", "route-editor")
      .put("permissions", new JsonArray().add("gateway.routes.write"))).status()).isEqualTo(201);
    Eventually.until("routes live", Duration.ofSeconds(5), () -> "alpha".equals(upstreamOf("/one/x")) && "alpha".equals(upstreamOf("/two/x")));

    ContractClient.Response backup = client.call("GET", "/api/v1/backup", null);
    assertThat(backup.status()).isEqualTo(200);
    JsonObject document = backup.json();
    assertThat(document.getString("checksum")).startsWith("sha256:").isEqualTo(Backups.checksum(document));
    assertThat(document.getJsonArray("routes")).hasSize(2);
    assertThat(document.getJsonObject("services").fieldNames()).containsExactly("svc");
    assertThat(document.getJsonObject("identity").getJsonArray("roles").encode()).contains("route-editor");
    assertThat(document.getJsonObject("identity").encode()).doesNotContain("password").doesNotContain("$argon2");
    JsonArray routesBefore = definitions("routes");
    JsonArray servicesBefore = definitions("services");

    ContractClient.Response yaml = client.call("GET", "/api/v1/backup.yaml", null);
    assertThat(yaml.status()).isEqualTo(200);
    assertThat(yaml.header("Content-Type")).startsWith("application/yaml");
    JsonObject fromYaml = YamlReader.read(yaml.text(), "backup.yaml");
    assertThat(Backups.checksum(fromYaml)).isEqualTo(fromYaml.getString("checksum"));

    // A backup with one bad route: 400 naming it, nothing changed (not even the good parts).
    JsonObject broken = document.copy();
    broken.getJsonArray("routes").add(route("r-bad", "lb://missing", "/bad/**"));
    broken.put("checksum", Backups.checksum(broken));
    broken.getJsonArray("routes").getJsonObject(0).put("order", 99); // and a changed good one
    broken.put("checksum", Backups.checksum(broken));
    ContractClient.Response refused = client.call("POST", "/api/v1/restore", broken);
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.json().getJsonArray("details").getJsonObject(0).getString("field")).isEqualTo("routes[2].uri");
    assertThat(definitions("routes")).isEqualTo(routesBefore);

    JsonObject tampered = document.copy();
    tampered.getJsonArray("routes").getJsonObject(0).put("uri", "http://evil:80");
    ContractClient.Response badSum = client.call("POST", "/api/v1/restore", tampered);
    assertThat(badSum.status()).isEqualTo(400);
    assertThat(badSum.json().getJsonArray("details").getJsonObject(0).getString("field")).isEqualTo("checksum");

    // Wipe: every stored route and service goes.
    JsonArray wipe = new JsonArray();
    stored("routes").forEach(i -> wipe.add(new JsonObject().put("op", "delete").put("id", ((JsonObject) i).getString("id"))
      .put("version", ((JsonObject) i).getLong("version"))));
    assertThat(client.call("POST", "/api/v1/routes/_batch", new JsonObject().put("changes", wipe)).status()).isEqualTo(200);
    assertThat(client.call("DELETE", "/api/v1/services/svc", null, "\"1\"").status()).isEqualTo(204);
    assertThat(stored("routes")).isEmpty();
    Eventually.until("routes gone from the proxy", Duration.ofSeconds(5), () -> upstreamOf("/two/x").equals("status 404"));

    ContractClient.Response dryYaml = client.raw("POST", "/api/v1/restore?dryRun=true", "application/yaml", yaml.text());
    assertThat(dryYaml.status()).isEqualTo(200);
    assertThat(dryYaml.json().getJsonArray("changes")).hasSize(3);
    ContractClient.Response dry = client.call("POST", "/api/v1/restore?dryRun=true", document);
    assertThat(dry.status()).isEqualTo(200);
    assertThat(dry.json().getJsonArray("changes")).hasSize(3);
    assertThat(dry.json().getJsonArray("changes").stream().map(c -> ((JsonObject) c).getString("change")).distinct().toList()).containsExactly("added");
    assertThat(stored("routes")).isEmpty();

    ContractClient.Response restored = client.raw("POST", "/api/v1/restore", "text/plain", yaml.text());
    assertThat(restored.status()).isEqualTo(200);
    assertThat(restored.json().getBoolean("identityRestored")).isTrue();
    assertThat(definitions("routes")).isEqualTo(routesBefore);
    assertThat(definitions("services")).isEqualTo(servicesBefore);
    Eventually.until("restored routes live", Duration.ofSeconds(5), () -> "alpha".equals(upstreamOf("/one/x")) && "alpha".equals(upstreamOf("/two/x")));
    assertThat(client.call("GET", "/api/v1/routes/r-one/revisions", null).json().getJsonArray("items").getJsonObject(0).getString("operation"))
      .isEqualTo("restore");
    // audited after the answer: one success, and the two refusals
    Eventually.until("restores audited", Duration.ofSeconds(5), () ->
      RoutesApiTest.queryOn(kit, "SELECT count(*) FROM audit_log WHERE action = 'routes.backup.restore' AND outcome = 'success'").equals("1")
        && RoutesApiTest.queryOn(kit, "SELECT count(*) FROM audit_log WHERE action = 'routes.backup.restore' AND outcome = 'failure'").equals("2"));
  }

  @Test
  void scheduledBackupsAreWrittenAndOnlyTheNewestAreKept() throws Exception {
    Path dir = Files.createTempDirectory("junction-backups");
    try (JunctionTestKit scheduled = JunctionTestKit.builder().env("JUNCTION_BACKUP_SCHEDULE", "150ms")
      .env("JUNCTION_BACKUP_DIR", dir.toString()).env("JUNCTION_BACKUP_KEEP", "2").start()) {
      Eventually.until("several backups ran", Duration.ofSeconds(10), () -> {
        try (Stream<Path> files = Files.list(dir)) {
          return files.count() >= 2;
        }
      });
      Thread.sleep(600); // several more runs
    }
    List<Path> files;
    try (Stream<Path> listed = Files.list(dir)) {
      files = listed.sorted().toList();
    }
    assertThat(files).as("only the newest backup.keep files remain").hasSize(2);
    for (Path file : files) {
      assertThat(file.getFileName().toString()).startsWith("junction-backup-").endsWith(".json");
      JsonObject backup = new JsonObject(Files.readString(file));
      assertThat(backup.getString("checksum")).isEqualTo(Backups.checksum(backup));
    }
  }
}
