package io.junction.gateway.upstream;

import static io.junction.gateway.upstream.UpstreamTestSupport.await;
import static io.junction.gateway.upstream.UpstreamTestSupport.registry;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Ejection after consecutive failed calls, reported through {@link Instance#end(boolean)}. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PassiveEjectionTest {
  static Vertx vertx;
  static UpstreamTestSupport.Caller caller;
  static TestUpstream a;
  static TestUpstream b;

  final AtomicLong now = new AtomicLong(1_000_000_000L);

  @BeforeAll
  static void startUpstreams() throws Exception {
    vertx = Vertx.vertx();
    caller = new UpstreamTestSupport.Caller(vertx);
    a = TestUpstream.start(vertx, "a");
    b = TestUpstream.start(vertx, "b");
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().await(5, TimeUnit.SECONDS);
  }

  private Service service(JsonObject passive, boolean failOpen) {
    JsonObject services = new JsonObject().put("svc", new JsonObject()
        .put("instances", new JsonArray().add(a.url()).add(b.url()))
        .put("passive", passive)
        .put("failOpen", failOpen));
    ServiceRegistry.Result result = ServiceRegistry.build(services, null, now::get);
    assertThat(result.problems()).isEmpty();
    return result.registry().get("svc");
  }

  private static void fail(Instance instance, int times) {
    for (int i = 0; i < times; i++) {
      instance.begin();
      instance.end(false);
    }
  }

  @Test
  void consecutiveFailuresEjectUntilEjectForHasPassed() {
    Service service = service(new JsonObject().put("consecutiveFailures", 3).put("ejectFor", "30s"), false);
    Instance ib = service.instances().get(1);
    fail(ib, 2);
    assertThat(ib.available()).isTrue();
    fail(ib, 1);
    assertThat(ib.ejected()).isTrue();
    assertThat(ib.available()).isFalse();
    assertThat(ib.healthy()).as("passive ejection leaves the active verdict alone").isTrue();
    for (int i = 0; i < 20; i++) {
      assertThat(service.choose(null).port()).isEqualTo(a.port());
    }
    now.addAndGet(Duration.ofSeconds(29).toNanos());
    assertThat(ib.available()).isFalse();
    now.addAndGet(Duration.ofSeconds(1).toNanos());
    assertThat(ib.available()).isTrue();
    assertThat(ib.ejected()).isFalse();
    Map<Integer, Integer> ports = new HashMap<>();
    for (int i = 0; i < 20; i++) {
      ports.merge(service.choose(null).port(), 1, Integer::sum);
    }
    assertThat(ports).containsEntry(a.port(), 10).containsEntry(b.port(), 10);
  }

  @Test
  void aSuccessResetsTheRun() {
    Service service = service(new JsonObject().put("consecutiveFailures", 3), false);
    Instance ia = service.instances().get(0);
    fail(ia, 2);
    ia.begin();
    ia.end(true);
    fail(ia, 2);
    assertThat(ia.available()).isTrue();
    assertThat(ia.consecutiveFailures()).isEqualTo(2);
    assertThat(ia.inFlight()).isZero();
  }

  @Test
  void afterRecoveryItTakesAFreshRunOfFailures() {
    Service service = service(new JsonObject().put("consecutiveFailures", 2).put("ejectFor", 1000), false);
    Instance ia = service.instances().get(0);
    fail(ia, 2);
    assertThat(ia.available()).isFalse();
    now.addAndGet(Duration.ofMillis(1000).toNanos());
    assertThat(ia.available()).isTrue();
    fail(ia, 1);
    assertThat(ia.available()).isTrue();
    fail(ia, 1);
    assertThat(ia.available()).isFalse();
  }

  @Test
  void withoutPassiveConfigFailuresAreCountedButNothingIsEjected() {
    Service service = service(null, false);
    Instance ia = service.instances().get(0);
    fail(ia, 100);
    assertThat(ia.available()).isTrue();
    assertThat(ia.consecutiveFailures()).isEqualTo(100);
  }

  @Test
  void allEjectedGivesNoInstanceUnlessFailOpen() {
    JsonObject passive = new JsonObject().put("consecutiveFailures", 1);
    Service closed = service(passive, false);
    closed.instances().forEach(i -> fail(i, 1));
    assertThat(closed.choose(null)).isNull();
    Service open = service(passive, true);
    open.instances().forEach(i -> fail(i, 1));
    assertThat(open.choose(null)).isNotNull();
  }

  @Test
  void anUpstreamAnswering503IsEjectedAndComesBackAfterEjectFor() throws Exception {
    JsonObject services = new JsonObject().put("svc", new JsonObject()
        .put("instances", new JsonArray().add(a.url()).add(b.url()))
        .put("passive", new JsonObject().put("consecutiveFailures", 3).put("ejectFor", "2s")));
    Service service = registry(services).get("svc"); // real clock; 2 s outlasts 20 calls even on a loaded machine
    Instance ib = service.instances().get(1);
    b.status = 503;
    try {
      Map<String, Integer> first = caller.spread(service, 6); // a, b(503), a, b(503), a, b(503)
      assertThat(first).containsEntry("b", 3);
      assertThat(ib.ejected()).isTrue();
      long ejectedAt = System.nanoTime();
      assertThat(caller.spread(service, 20)).containsOnlyKeys("a");
      b.status = 200;
      await(Duration.ofSeconds(10), "b back after ejectFor", ib::available);
      assertThat(System.nanoTime() - ejectedAt).isGreaterThanOrEqualTo(Duration.ofMillis(1900).toNanos());
      assertThat(caller.spread(service, 20)).containsOnlyKeys("a", "b");
    } finally {
      b.status = 200;
    }
  }
}
