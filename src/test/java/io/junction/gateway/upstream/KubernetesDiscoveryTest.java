package io.junction.gateway.upstream;

import static io.junction.gateway.upstream.UpstreamTestSupport.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.junction.config.KubernetesSettings;
import io.junction.testkit.TestKubernetes;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Kubernetes discovery against a real API server (fabric8's mock in CRUD mode, behind a proxy a test can cut):
 * EndpointSlices of real upstreams on loopback become the service's instances, every change reaches the
 * balancer, outages keep the last instances, and reloads hand the running watch over rather than open new ones.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class KubernetesDiscoveryTest {
  static final Duration LIMIT = Duration.ofSeconds(5);
  static final String NS = TestKubernetes.NAMESPACE;

  static TestKubernetes k8s;
  static Vertx vertx;
  static UpstreamTestSupport.Caller caller;
  static TestUpstream a;
  static TestUpstream b;
  static TestUpstream c;
  static KubernetesSettings kube;
  final List<ServiceRegistry> registries = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    k8s = TestKubernetes.start();
    vertx = Vertx.vertx();
    caller = new UpstreamTestSupport.Caller(vertx);
    a = TestUpstream.start(vertx, "a");
    b = TestUpstream.start(vertx, "b");
    c = TestUpstream.start(vertx, "c");
    kube = KubernetesSettings.from(new JsonObject().put("apiServer", k8s.apiServer()).put("namespace", NS)
        .put("tokenFile", k8s.tokenFile().toString()), Map.of());
  }

  @AfterEach
  void stopRegistries() throws Exception {
    for (ServiceRegistry registry : registries) {
      registry.stop().await(5, TimeUnit.SECONDS);
    }
    k8s.failWith(0);
    k8s.comeBack();
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().await(5, TimeUnit.SECONDS);
    k8s.close();
  }

  /** One slice of Service {@code service} holding {@code upstream} (127.0.0.1) at port "http". */
  static void slice(String service, String name, TestUpstream upstream, Boolean ready, Boolean terminating) {
    EndpointSlice slice = new EndpointSliceBuilder()
        .withNewMetadata().withName(name).withNamespace(NS).addToLabels("kubernetes.io/service-name", service).endMetadata()
        .withAddressType("IPv4")
        .addNewPort().withName("http").withPort(upstream.port()).withProtocol("TCP").endPort()
        .addNewEndpoint().withAddresses("127.0.0.1").withNewConditions().withReady(ready).withServing(ready)
        .withTerminating(terminating).endConditions().endEndpoint()
        .build();
    k8s.client().discovery().v1().endpointSlices().inNamespace(NS).resource(slice).createOr(existing -> existing.update());
  }

  static void slice(String service, String name, TestUpstream upstream) {
    slice(service, name, upstream, true, false);
  }

  static void deleteSlice(String name) {
    k8s.client().discovery().v1().endpointSlices().inNamespace(NS).withName(name).delete();
  }

  static JsonObject discovered(String service) {
    return new JsonObject().put("discovery", new JsonObject().put("kubernetes",
        new JsonObject().put("service", service).put("port", "http")));
  }

  ServiceRegistry started(JsonObject services, ServiceRegistry previous) {
    ServiceRegistry.Result built = ServiceRegistry.build(services, previous);
    assertThat(built.problems()).isEmpty();
    registries.add(built.registry());
    built.registry().start(vertx, kube).await();
    return built.registry();
  }

  static List<Integer> ports(Service service) {
    return service.instances().stream().map(Instance::port).sorted().toList();
  }

  static List<Integer> ports(TestUpstream... upstreams) {
    List<Integer> out = new ArrayList<>();
    for (TestUpstream upstream : upstreams) {
      out.add(upstream.port());
    }
    return out.stream().sorted().toList();
  }

  @Test
  void readyEndpointsAreTheInstancesAndEveryChangeReachesTheBalancer() throws Exception {
    slice("shop", "shop-a", a);
    slice("shop", "shop-b", b);
    slice("other", "other-c", c); // another Service's slice: not ours
    Service service = started(new JsonObject().put("shop", discovered("shop")), null).get("shop");
    assertThat(ports(service)).as("the first list is in when start completes").isEqualTo(ports(a, b));
    assertThat(caller.spread(service, 20)).containsOnlyKeys("a", "b");
    Instance instanceA = service.instances().stream().filter(i -> i.port() == a.port()).findFirst().orElseThrow();
    assertThat(instanceA.id()).isEqualTo("http://127.0.0.1:" + a.port());

    slice("shop", "shop-c", c);
    await(LIMIT, "c discovered", () -> service.instances().size() == 3);
    assertThat(service.instances()).as("an instance that stays is the same object, with its state").contains(instanceA);
    assertThat(caller.spread(service, 30)).containsOnlyKeys("a", "b", "c");

    int bBefore = b.requests.get();
    slice("shop", "shop-b", b, false, false);
    await(LIMIT, "b not ready", () -> ports(service).equals(ports(a, c)));
    assertThat(caller.spread(service, 30)).containsOnlyKeys("a", "c");
    assertThat(b.requests.get()).as("a not-ready endpoint gets nothing").isEqualTo(bBefore);

    slice("shop", "shop-c", c, null, true); // terminating (ready unset): draining, left out
    await(LIMIT, "c terminating", () -> ports(service).equals(ports(a)));
    assertThat(caller.spread(service, 10)).containsOnlyKeys("a");

    deleteSlice("shop-a");
    deleteSlice("shop-b");
    deleteSlice("shop-c");
    await(LIMIT, "no endpoint left", () -> service.instances().isEmpty());
    assertThat(caller.call(service, null)).as("no ready endpoint: nothing to pick (the proxy answers 503)").isEqualTo("none");

    slice("shop", "shop-a", a);
    await(LIMIT, "a back", () -> ports(service).equals(ports(a)));
    assertThat(caller.call(service, null)).isEqualTo("a");
  }

  @Test
  void theLastInstancesStayWhileTheApiServerIsGoneOrFailingAndTheWatchResumes() throws Exception {
    slice("outage", "outage-a", a);
    Service service = started(new JsonObject().put("outage", discovered("outage")), null).get("outage");
    assertThat(ports(service)).isEqualTo(ports(a));

    k8s.goAway(); // the watch breaks, reconnects are refused
    slice("outage", "outage-b", b); // written straight to the server: Junction cannot see it yet
    Thread.sleep(700);
    assertThat(ports(service)).as("last known instances kept").isEqualTo(ports(a));
    assertThat(caller.spread(service, 5)).containsOnlyKeys("a");

    k8s.failWith(500);
    k8s.comeBack(); // reachable again, but every list answers 500
    Thread.sleep(700);
    assertThat(ports(service)).as("500s change nothing").isEqualTo(ports(a));
    assertThat(caller.spread(service, 5)).containsOnlyKeys("a");

    k8s.failWith(0);
    await(Duration.ofSeconds(8), "the watch resumes and sees b", () -> ports(service).equals(ports(a, b)));
    slice("outage", "outage-c", c);
    await(LIMIT, "and keeps watching", () -> ports(service).equals(ports(a, b, c)));
  }

  @Test
  void aRotatedTokenIsReadAgainWhenTheApiServerAnswers401() throws Exception {
    slice("rotate", "rotate-a", a);
    Service service = started(new JsonObject().put("rotate", discovered("rotate")), null).get("rotate");
    assertThat(ports(service)).isEqualTo(ports(a));
    int refusedBefore = k8s.unauthorizedAnswers();
    k8s.rotateToken();
    k8s.goAway(); // the next list must authenticate again: with the old token first
    slice("rotate", "rotate-b", b);
    k8s.comeBack();
    await(Duration.ofSeconds(8), "b seen with the new token", () -> ports(service).equals(ports(a, b)));
    assertThat(k8s.unauthorizedAnswers()).as("the old token was refused first").isGreaterThan(refusedBefore);
  }

  @Test
  void fiftyReloadsHandOverOneWatchAndKeepInstanceState() throws Exception {
    slice("reload", "reload-a", a);
    slice("reload", "reload-b", b);
    JsonObject passive = new JsonObject().put("consecutiveFailures", 1).put("ejectFor", "1h");
    ServiceRegistry current = started(new JsonObject().put("reload", discovered("reload").put("passive", passive)), null);
    await(LIMIT, "the watch is open", () -> k8s.watchRequests() > 0);
    Thread.sleep(200);
    int watchesBefore = k8s.watchRequests();
    Instance first = current.get("reload").instances().stream().filter(i -> i.port() == b.port()).findFirst().orElseThrow();
    first.begin();
    first.end(false); // b ejected for an hour
    assertThat(first.ejected()).isTrue();

    for (int i = 0; i < 50; i++) {
      String balancer = i % 2 == 0 ? "least-requests" : "round-robin";
      ServiceRegistry next = started(new JsonObject().put("reload",
          discovered("reload").put("passive", passive).put("loadBalancer", balancer)), current);
      Service service = next.get("reload");
      assertThat(ports(service)).as("reload %d: instances at once, no empty gap", i).isEqualTo(ports(a, b));
      assertThat(service.instances().stream().filter(Instance::ejected).map(Instance::port).toList())
          .as("reload %d: the ejection carried over", i).containsExactly(b.port());
      current.stop().await(5, TimeUnit.SECONDS);
      assertThat(current.watches()).isZero();
      assertThat(next.watches()).isEqualTo(1);
      current = next;
    }
    assertThat(k8s.watchRequests()).as("50 reloads opened no watch").isEqualTo(watchesBefore);
    assertThat(caller.spread(current.get("reload"), 10)).containsOnlyKeys("a");

    ServiceRegistry last = current;
    slice("reload", "reload-c", c);
    await(LIMIT, "the handed-over watch feeds the newest registry", () -> last.get("reload").instances().size() == 3);

    JsonObject byNumber = new JsonObject().put("discovery", new JsonObject().put("kubernetes",
        new JsonObject().put("service", "reload").put("port", a.port())));
    ServiceRegistry renumbered = started(new JsonObject().put("reload", byNumber), current);
    current.stop().await(5, TimeUnit.SECONDS);
    await(LIMIT, "other discovery settings: a new watch", () -> k8s.watchRequests() == watchesBefore + 1);
    assertThat(ports(renumbered.get("reload"))).as("port number used as it is, one address").isEqualTo(ports(a));

    ServiceRegistry without = started(new JsonObject().put("static", new JsonObject().put("instances",
        new io.vertx.core.json.JsonArray().add(a.url()))), renumbered);
    renumbered.stop().await(5, TimeUnit.SECONDS);
    assertThat(renumbered.watches()).as("service gone from the config: its watch stopped").isZero();
    assertThat(without.watches()).isZero();
  }

  @Test
  void healthCarriesOverForInstancesThatStayAndNewOnesStartHealthyAndAreProbed() throws Exception {
    slice("health", "health-a", a);
    slice("health", "health-b", b);
    JsonObject check = new JsonObject().put("path", "/health").put("interval", "50ms").put("timeout", "200ms")
        .put("healthyThreshold", 1).put("unhealthyThreshold", 1);
    JsonObject config = new JsonObject().put("health", discovered("health").put("healthCheck", check));
    b.healthStatus = 500;
    try {
      ServiceRegistry first = started(config, null);
      await(LIMIT, "b down", () -> first.get("health").instances().stream().anyMatch(i -> !i.healthy()));
      ServiceRegistry second = started(config.copy(), first);
      first.stop().await(5, TimeUnit.SECONDS);
      Service service = second.get("health");
      assertThat(service.instances().stream().filter(i -> !i.healthy()).map(Instance::port).toList())
          .as("b still down right after the reload").containsExactly(b.port());
      assertThat(caller.spread(service, 10)).containsOnlyKeys("a");

      int probesBefore = c.probes.get();
      slice("health", "health-c", c);
      await(LIMIT, "c discovered", () -> service.instances().size() == 3);
      assertThat(service.instances().stream().filter(i -> i.port() == c.port()).findFirst().orElseThrow().healthy())
          .as("a new endpoint starts healthy").isTrue();
      await(LIMIT, "c probed", () -> c.probes.get() > probesBefore);
      assertThat(caller.spread(service, 20)).containsOnlyKeys("a", "c");

      b.healthStatus = 200;
      await(LIMIT, "b back", () -> service.instances().stream().allMatch(Instance::healthy));
    } finally {
      b.healthStatus = 200;
    }
  }

  /** An EndpointSlice as JSON: one ready endpoint 127.0.0.1 at {@code upstream}'s port named http. */
  static JsonObject sliceJson(String name, TestUpstream upstream) {
    return new JsonObject().put("metadata", new JsonObject().put("name", name).put("resourceVersion", "1"))
        .put("ports", new JsonArray().add(new JsonObject().put("name", "http").put("port", upstream.port())))
        .put("endpoints", new JsonArray().add(new JsonObject().put("addresses", new JsonArray().add("127.0.0.1"))));
  }

  @Test
  void a410GoneEndsTheWatchAndTheSlicesAreListedAgain() throws Exception {
    // The mock never says 410, so a minimal API server that does: the first watch answers "too old resource
    // version", as a real one does after compaction; what changed meanwhile shows in the second list.
    AtomicInteger lists = new AtomicInteger();
    AtomicInteger watches = new AtomicInteger();
    HttpServer api = vertx.createHttpServer()
        .webSocketHandler(ws -> {
          if (watches.incrementAndGet() == 1) {
            ws.writeTextMessage(new JsonObject().put("type", "ERROR").put("object", new JsonObject().put("kind", "Status")
                .put("code", 410).put("reason", "Expired").put("message", "too old resource version: 10 (20)")).encode());
          }
        })
        .requestHandler(request -> {
          int n = lists.incrementAndGet();
          JsonArray items = new JsonArray().add(sliceJson("gone-a", a));
          if (n > 1) {
            items.add(sliceJson("gone-b", b));
          }
          request.response().putHeader("Content-Type", "application/json").end(new JsonObject()
              .put("kind", "EndpointSliceList").put("metadata", new JsonObject().put("resourceVersion", String.valueOf(10 * n)))
              .put("items", items).encode());
        })
        .listen(0, "127.0.0.1").await(5, TimeUnit.SECONDS);
    try {
      KubernetesSettings fake = KubernetesSettings.from(new JsonObject().put("apiServer", "http://127.0.0.1:" + api.actualPort())
          .put("namespace", NS).put("tokenFile", k8s.tokenFile().toString()), Map.of());
      ServiceRegistry.Result built = ServiceRegistry.build(new JsonObject().put("gone", discovered("gone")));
      registries.add(built.registry());
      built.registry().start(vertx, fake).await(5, TimeUnit.SECONDS);
      Service service = built.registry().get("gone");
      await(LIMIT, "listed again after 410", () -> ports(service).equals(ports(a, b)));
      assertThat(lists.get()).isEqualTo(2);
      await(LIMIT, "watching again", () -> watches.get() == 2);
    } finally {
      api.close().await(5, TimeUnit.SECONDS);
    }
  }
}
