package io.junction.gateway.upstream;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Active health checks of one service: one periodic timer probes every instance. The instances are read from the
 * service at each round, so a discovered service's new instances are probed from the next round on while those
 * that stayed keep their counts. All state but {@code stopped} and the timer id is touched only on the context
 * that {@link #start} runs on.
 */
final class HealthChecker {
  private static final Logger LOG = LoggerFactory.getLogger(HealthChecker.class);

  private final Service service;
  private final HealthCheck check;
  /** The instance list the probes were made for, and one probe per instance of it. */
  private List<Instance> probed = List.of();
  private Map<Instance, Probe> probes = new LinkedHashMap<>();
  private Vertx vertx;
  private HttpClient client;
  private volatile boolean stopped;
  private volatile long timerId = -1;

  HealthChecker(Service service) {
    this.service = service;
    this.check = service.healthCheck();
  }

  /** One instance's probe request and the run of results so far. */
  private final class Probe {
    final Instance instance;
    final RequestOptions request;
    int successes;
    int failures;
    boolean probing;

    Probe(Instance instance) {
      this.instance = instance;
      this.request = new RequestOptions()
          .setMethod(HttpMethod.GET)
          .setHost(instance.host())
          .setPort(instance.port())
          .setSsl(instance.ssl())
          .setURI(check.path())
          .setConnectTimeout(check.timeoutMillis())
          .setIdleTimeout(check.timeoutMillis())
          .putHeader("User-Agent", "junction-health-check");
    }
  }

  /** Probes now, then every interval. Call on the context the probes should run on. */
  void start(Vertx vertx, HttpClient client) {
    if (stopped) {
      return;
    }
    this.vertx = vertx;
    this.client = client;
    probeAll();
    timerId = vertx.setPeriodic(check.intervalMillis(), id -> {
      if (stopped) {
        vertx.cancelTimer(id);
      } else {
        probeAll();
      }
    });
  }

  /** From any thread; probes still under way finish without effect. */
  void stop() {
    stopped = true;
    long id = timerId;
    if (id >= 0 && vertx != null) {
      vertx.cancelTimer(id);
    }
  }

  private void probeAll() {
    List<Instance> current = service.instances();
    if (current != probed) { // discovery changed the instances: keep the probes of those that stayed
      Map<Instance, Probe> next = new LinkedHashMap<>();
      for (Instance instance : current) {
        Probe probe = probes.get(instance);
        next.put(instance, probe != null ? probe : new Probe(instance));
      }
      probes = next;
      probed = current;
    }
    probes.values().forEach(this::probe);
  }

  private void probe(Probe probe) {
    if (probe.probing) {
      return; // the last probe is still waiting (timeout longer than interval)
    }
    probe.probing = true;
    client.request(probe.request)
        .compose(request -> request.send())
        .compose(response -> response.body().map(body -> response.statusCode()))
        .timeout(check.timeoutMillis(), TimeUnit.MILLISECONDS)
        .onComplete(result -> {
          probe.probing = false;
          if (stopped) {
            return;
          }
          if (result.succeeded()) {
            int status = result.result();
            boolean ok = check.expectedStatus().matches(status);
            record(probe, ok, ok ? "status " + status : "status " + status + ", expected " + check.expectedStatus());
          } else {
            Throwable cause = result.cause();
            record(probe, false, cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage());
          }
        });
  }

  private void record(Probe probe, boolean ok, String outcome) {
    Instance instance = probe.instance;
    if (ok) {
      probe.failures = 0;
      probe.successes++;
      if (!instance.healthy() && probe.successes >= check.healthyThreshold()) {
        instance.healthy(true);
        LOG.info("upstream {} instance {} is UP after {} passed health checks (GET {}: {})",
            service.name(), instance.id(), probe.successes, check.path(), outcome);
      }
    } else {
      probe.successes = 0;
      probe.failures++;
      if (instance.healthy() && probe.failures >= check.unhealthyThreshold()) {
        instance.healthy(false);
        LOG.warn("upstream {} instance {} is DOWN after {} failed health checks (GET {}: {})",
            service.name(), instance.id(), probe.failures, check.path(), outcome);
      }
    }
  }
}
