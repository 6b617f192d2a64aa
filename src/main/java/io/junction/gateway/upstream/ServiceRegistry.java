package io.junction.gateway.upstream;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * The services of one {@code services} config, immutable once built. A changed config builds a
 * new registry (passing the current one, so unchanged instances keep their health), starts it,
 * swaps it in, then stops the old one.
 */
public final class ServiceRegistry {

  /** A registry, or the problems that kept it from being built (then {@code registry} is null). */
  public record Result(ServiceRegistry registry, List<String> problems) {
    public boolean ok() {
      return registry != null;
    }
  }

  private final Map<String, Service> services;
  private final List<HealthChecker> checkers = new ArrayList<>();
  private HttpClient client;
  private boolean started;
  private boolean stopped;

  private ServiceRegistry(Map<String, Service> services) {
    this.services = Collections.unmodifiableMap(services);
  }

  public static Result build(JsonObject services) {
    return build(services, null);
  }

  /**
   * @param previous the registry this one replaces, or null: instances of the same service with
   *                 the same URL take over its health and passive-ejection state
   */
  public static Result build(JsonObject services, ServiceRegistry previous) {
    return build(services, previous, System::nanoTime);
  }

  static Result build(JsonObject services, ServiceRegistry previous, LongSupplier nanoClock) {
    ServicesReader reader = new ServicesReader(nanoClock);
    Map<String, Service> read = reader.read(services);
    if (!reader.problems().isEmpty()) {
      return new Result(null, List.copyOf(reader.problems()));
    }
    if (previous != null) {
      read.values().forEach(service -> inherit(service, previous.get(service.name())));
    }
    return new Result(new ServiceRegistry(read), List.of());
  }

  private static void inherit(Service service, Service previous) {
    if (previous == null) {
      return;
    }
    for (Instance instance : service.instances()) {
      for (Instance old : previous.instances()) {
        if (old.id().equals(instance.id())) {
          // health only while someone keeps checking it, or it could stay down for good
          instance.inherit(old, service.healthCheck() != null, service.passive() != null);
        }
      }
    }
  }

  /** The service called {@code name}, or null. */
  public Service get(String name) {
    return services.get(name);
  }

  public Set<String> names() {
    return services.keySet();
  }

  public Collection<Service> services() {
    return services.values();
  }

  /**
   * Starts the active health checks: one periodic timer per service that has a
   * {@code healthCheck}, all on the caller's context (or a new one off Vert.x threads).
   */
  public synchronized Future<Void> start(Vertx vertx) {
    if (started || stopped) {
      return Future.succeededFuture();
    }
    started = true;
    for (Service service : services.values()) {
      if (service.healthCheck() != null && !service.instances().isEmpty()) {
        checkers.add(new HealthChecker(service));
      }
    }
    if (checkers.isEmpty()) {
      return Future.succeededFuture();
    }
    client = vertx.createHttpClient(
        new HttpClientOptions().setName("junction-health-checks").setKeepAlive(true),
        new PoolOptions().setHttp1MaxSize(2));
    HttpClient http = client;
    Context context = vertx.getOrCreateContext();
    Promise<Void> ready = Promise.promise();
    context.runOnContext(v -> {
      checkers.forEach(checker -> checker.start(vertx, http));
      ready.complete();
    });
    return ready.future();
  }

  /** Stops the health checks and closes their client; the services stay usable with their last state. */
  public synchronized Future<Void> stop() {
    if (stopped) {
      return Future.succeededFuture();
    }
    stopped = true;
    checkers.forEach(HealthChecker::stop);
    return client == null ? Future.succeededFuture() : client.close();
  }
}
