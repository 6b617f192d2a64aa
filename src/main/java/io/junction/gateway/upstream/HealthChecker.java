package io.junction.gateway.upstream;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Active health checks of one service: one periodic timer probes every instance. All state but
 * {@code stopped} and the timer id is touched only on the context that {@link #start} runs on.
 */
final class HealthChecker {
  private static final Logger LOG = LoggerFactory.getLogger(HealthChecker.class);

  private final Service service;
  private final HealthCheck check;
  private final Instance[] instances;
  private final RequestOptions[] requests;
  private final int[] successes;
  private final int[] failures;
  private final boolean[] probing;
  private Vertx vertx;
  private HttpClient client;
  private volatile boolean stopped;
  private volatile long timerId = -1;

  HealthChecker(Service service) {
    this.service = service;
    this.check = service.healthCheck();
    List<Instance> list = service.instances();
    this.instances = list.toArray(new Instance[0]);
    this.requests = new RequestOptions[instances.length];
    for (int i = 0; i < instances.length; i++) {
      Instance instance = instances[i];
      requests[i] = new RequestOptions()
          .setMethod(HttpMethod.GET)
          .setHost(instance.host())
          .setPort(instance.port())
          .setSsl(instance.ssl())
          .setURI(check.path())
          .setConnectTimeout(check.timeoutMillis())
          .setIdleTimeout(check.timeoutMillis())
          .putHeader("User-Agent", "junction-health-check");
    }
    this.successes = new int[instances.length];
    this.failures = new int[instances.length];
    this.probing = new boolean[instances.length];
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
    for (int i = 0; i < instances.length; i++) {
      probe(i);
    }
  }

  private void probe(int i) {
    if (probing[i]) {
      return; // the last probe is still waiting (timeout longer than interval)
    }
    probing[i] = true;
    client.request(requests[i])
        .compose(request -> request.send())
        .compose(response -> response.body().map(body -> response.statusCode()))
        .timeout(check.timeoutMillis(), TimeUnit.MILLISECONDS)
        .onComplete(result -> {
          probing[i] = false;
          if (stopped) {
            return;
          }
          if (result.succeeded()) {
            int status = result.result();
            boolean ok = check.expectedStatus().matches(status);
            record(i, ok, ok ? "status " + status : "status " + status + ", expected " + check.expectedStatus());
          } else {
            Throwable cause = result.cause();
            record(i, false, cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage());
          }
        });
  }

  private void record(int i, boolean ok, String outcome) {
    Instance instance = instances[i];
    if (ok) {
      failures[i] = 0;
      successes[i]++;
      if (!instance.healthy() && successes[i] >= check.healthyThreshold()) {
        instance.healthy(true);
        LOG.info("upstream {} instance {} is UP after {} passed health checks (GET {}: {})",
            service.name(), instance.id(), successes[i], check.path(), outcome);
      }
    } else {
      successes[i] = 0;
      failures[i]++;
      if (instance.healthy() && failures[i] >= check.unhealthyThreshold()) {
        instance.healthy(false);
        LOG.warn("upstream {} instance {} is DOWN after {} failed health checks (GET {}: {})",
            service.name(), instance.id(), failures[i], check.path(), outcome);
      }
    }
  }
}
