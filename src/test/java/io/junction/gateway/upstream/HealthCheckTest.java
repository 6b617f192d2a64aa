package io.junction.gateway.upstream;

import static io.junction.gateway.upstream.UpstreamTestSupport.await;
import static io.junction.gateway.upstream.UpstreamTestSupport.registry;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Active health checks against real upstreams: ejection, recovery, fail-open, replacement. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class HealthCheckTest {
  static final Duration LIMIT = Duration.ofSeconds(5);

  Vertx vertx;
  UpstreamTestSupport.Caller caller;
  TestUpstream a;
  TestUpstream b;
  TestUpstream c;
  final List<ServiceRegistry> registries = new ArrayList<>();

  @BeforeEach
  void startUpstreams() throws Exception {
    vertx = Vertx.vertx();
    caller = new UpstreamTestSupport.Caller(vertx);
    a = TestUpstream.start(vertx, "a");
    b = TestUpstream.start(vertx, "b");
    c = TestUpstream.start(vertx, "c");
  }

  @AfterEach
  void stop() throws Exception {
    for (ServiceRegistry registry : registries) {
      registry.stop().await(5, TimeUnit.SECONDS);
    }
    vertx.close().await(5, TimeUnit.SECONDS);
  }

  private JsonObject config(JsonObject healthCheck) {
    return new JsonObject().put("instances", new JsonArray().add(a.url()).add(b.url()).add(c.url()))
        .put("healthCheck", healthCheck);
  }

  private static JsonObject check() {
    return new JsonObject().put("path", "/health").put("interval", "50ms").put("timeout", "200ms")
        .put("healthyThreshold", 2).put("unhealthyThreshold", 3);
  }

  private ServiceRegistry started(JsonObject services) {
    ServiceRegistry registry = registry(services);
    registries.add(registry);
    registry.start(vertx).await();
    return registry;
  }

  @Test
  void anUpstreamAnswering500IsTakenOutAfterTheThresholdAndComesBackAfterRecovery() throws Exception {
    ServiceRegistry registry = started(new JsonObject().put("svc", config(check())));
    Service service = registry.get("svc");
    Instance ib = service.instances().get(1);
    await(LIMIT, "first probes", () -> b.probes.get() >= 2);
    assertThat(caller.spread(service, 30)).containsOnlyKeys("a", "b", "c");

    int probesBefore = b.probes.get();
    b.healthStatus = 500;
    await(LIMIT, "b down", () -> !ib.healthy());
    assertThat(b.probes.get() - probesBefore).as("failed probes before ejection").isGreaterThanOrEqualTo(3);
    assertThat(caller.spread(service, 60)).containsOnlyKeys("a", "c");
    assertThat(a.requests.get() + c.requests.get()).isEqualTo(90 - 10); // b had 10 of the first 30

    probesBefore = b.probes.get();
    b.healthStatus = 200;
    await(LIMIT, "b up", ib::healthy);
    assertThat(b.probes.get() - probesBefore).as("passed probes before recovery").isGreaterThanOrEqualTo(2);
    assertThat(caller.spread(service, 30)).containsOnlyKeys("a", "b", "c");
  }

  @Test
  void aSlowAnswerIsAFailure() throws Exception {
    ServiceRegistry registry = started(new JsonObject().put("svc", config(check().put("timeout", 100))));
    Instance ic = registry.get("svc").instances().get(2);
    c.healthDelayMillis = 1_000;
    await(LIMIT, "c down on timeouts", () -> !ic.healthy());
    c.healthDelayMillis = 0;
    await(LIMIT, "c back", ic::healthy);
  }

  @Test
  void anUnreachableInstanceGoesDown() throws Exception {
    int port = c.port();
    c.close();
    ServiceRegistry registry = started(new JsonObject().put("svc", config(check())));
    Service service = registry.get("svc");
    await(LIMIT, "closed port down", () -> !service.instances().get(2).healthy());
    assertThat(service.instances().get(2).port()).isEqualTo(port);
    assertThat(service.instances().get(0).healthy()).isTrue();
  }

  @Test
  void expectedStatusDecidesWhatPasses() throws Exception {
    ServiceRegistry registry = started(new JsonObject().put("svc", config(check().put("expectedStatus", "204,300-302"))));
    Service service = registry.get("svc");
    a.healthStatus = 204;
    b.healthStatus = 301;
    c.healthStatus = 200;
    await(LIMIT, "c down on an unexpected 200", () -> !service.instances().get(2).healthy());
    assertThat(service.instances().get(0).healthy()).isTrue();
    assertThat(service.instances().get(1).healthy()).isTrue();
  }

  @Test
  void withEveryInstanceDownThereIsNoInstanceUnlessFailOpen() throws Exception {
    ServiceRegistry registry = started(new JsonObject()
        .put("closed", config(check()))
        .put("open", config(check()).put("failOpen", true)));
    a.healthStatus = 503;
    b.healthStatus = 503;
    c.healthStatus = 503;
    Service closed = registry.get("closed");
    Service open = registry.get("open");
    await(LIMIT, "all down", () -> closed.instances().stream().noneMatch(Instance::healthy)
        && open.instances().stream().noneMatch(Instance::healthy));
    assertThat(closed.choose(null)).isNull();
    assertThat(caller.spread(open, 30)).containsOnlyKeys("a", "b", "c");

    a.healthStatus = 200;
    await(LIMIT, "a up", () -> open.instances().get(0).healthy());
    assertThat(caller.spread(open, 10)).containsOnlyKeys("a"); // fail-open only while nothing is up
  }

  @Test
  void aNewRegistryKeepsTheHealthOfUnchangedInstancesAndTheOldOneStopsProbing() throws Exception {
    b.healthStatus = 500;
    ServiceRegistry first = started(new JsonObject().put("svc", config(check())));
    await(LIMIT, "b down", () -> !first.get("svc").instances().get(1).healthy());

    // c replaced by a new address; a and b unchanged
    TestUpstream d = TestUpstream.start(vertx, "d");
    JsonObject next = new JsonObject().put("svc", new JsonObject()
        .put("instances", new JsonArray().add(a.url()).add(b.url()).add(d.url()))
        .put("healthCheck", check().put("interval", "1s")));
    ServiceRegistry.Result result = ServiceRegistry.build(next, first);
    assertThat(result.problems()).isEmpty();
    ServiceRegistry second = result.registry();
    registries.add(second);
    Service service = second.get("svc");
    assertThat(service.instances()).extracting(Instance::healthy).containsExactly(true, false, true);
    assertThat(caller.spread(service, 20)).containsOnlyKeys("a", "d");

    second.start(vertx).await();
    first.stop().await();
    Thread.sleep(100); // a probe under way when stopped may still land
    int aProbes = a.probes.get();
    Thread.sleep(400); // the old registry probed every 50 ms, the new one every second
    assertThat(a.probes.get() - aProbes).isLessThanOrEqualTo(1);
    assertThat(service.instances().get(1).healthy()).isFalse();
  }

  @Test
  void withoutAHealthCheckInstancesStayHealthyAndNothingIsProbed() throws Exception {
    ServiceRegistry registry = started(new JsonObject().put("svc", config(null)));
    b.healthStatus = 500;
    Thread.sleep(150);
    assertThat(b.probes.get()).isZero();
    assertThat(registry.get("svc").instances()).allMatch(Instance::healthy);
  }
}
