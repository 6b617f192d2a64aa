package io.junction.observability;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The dashboard parses, has the panels the issue asks for, and uses only metrics docs/observability.md explains. */
class ObservabilityDocsTest {
  private static final Pattern JUNCTION_METRIC = Pattern.compile("junction_[a-z0-9_]+");

  @Test
  void dashboardPanelsQueryDocumentedMetrics() throws Exception {
    JsonObject dashboard = new JsonObject(Files.readString(Path.of("k8s/grafana/junction.json")));
    String docs = Files.readString(Path.of("docs/observability.md"));
    List<String> titles = new ArrayList<>();
    TreeSet<String> used = new TreeSet<>();
    JsonArray panels = dashboard.getJsonArray("panels");
    for (int i = 0; i < panels.size(); i++) {
      JsonObject panel = panels.getJsonObject(i);
      titles.add(panel.getString("title"));
      JsonArray targets = panel.getJsonArray("targets", new JsonArray());
      for (int t = 0; t < targets.size(); t++) {
        Matcher m = JUNCTION_METRIC.matcher(targets.getJsonObject(t).getString("expr"));
        while (m.find()) {
          used.add(m.group().replaceAll("_(bucket|count|sum)$", ""));
        }
      }
    }
    assertThat(String.join("|", titles)).contains("Requests per second", "Error rate", "p50 latency", "p99 latency",
      "Upstream instance health", "Config updates", "Cache hit ratio", "Outbox lag", "JVM memory");
    assertThat(used).isNotEmpty().allSatisfy(metric -> assertThat(docs).as("docs/observability.md explains " + metric).contains("`" + metric));
  }

  @Test
  void everyGatewayMeterIsDocumented() throws Exception {
    String docs = Files.readString(Path.of("docs/observability.md"));
    for (String name : List.of("junction_gateway_requests_seconds", "junction_gateway_upstream_seconds", "junction_gateway_requests_active", "junction_gateway_relayed_total",
      "junction_gateway_routes", "junction_gateway_upstream_healthy", "junction_tracing_spans_dropped_total")) {
      assertThat(docs).contains("| `" + name + "` |");
    }
  }
}
