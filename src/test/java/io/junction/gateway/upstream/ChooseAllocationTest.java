package io.junction.gateway.upstream;

import static io.junction.gateway.upstream.UpstreamTestSupport.registry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The per-request path (choose, begin, end) allocates nothing, with or without an unavailable instance. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ChooseAllocationTest {
  private static final int CALLS = 100_000;

  @ParameterizedTest
  @ValueSource(strings = {"round-robin", "weighted", "least-requests", "power-of-two", "consistent-hash"})
  void choosingAllocatesNothing(String balancer) {
    assumeTrue(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean);
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    JsonObject config = new JsonObject().put("loadBalancer", balancer)
        .put("instances", new JsonArray().add("http://10.0.0.1:80").add("http://10.0.0.2:80")
            .add(new JsonObject().put("url", "http://10.0.0.3:80").put("weight", 3)))
        .put("passive", new JsonObject().put("consecutiveFailures", 1000));
    if (balancer.equals("consistent-hash")) {
      config.put("hashOn", new JsonObject().put("header", "X-User-Id"));
    }
    Service service = registry(new JsonObject().put("svc", config)).get("svc");
    String[] keys = {"alice", "bob", "carol", null};
    service.instances().get(1).healthy(false); // exercise the slow paths too

    run(service, keys); // warm up
    long before = threads.getCurrentThreadAllocatedBytes();
    run(service, keys);
    long allocated = threads.getCurrentThreadAllocatedBytes() - before;
    assertThat(allocated).as("bytes allocated by %d picks", CALLS).isLessThan(16 * 1024);
  }

  private static void run(Service service, String[] keys) {
    for (int i = 0; i < CALLS; i++) {
      Instance instance = service.choose(keys[i & 3]);
      instance.begin();
      instance.end((i & 7) != 0);
    }
  }
}
