package io.junction.gateway.upstream;

import io.junction.config.KubernetesSettings;
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
import java.util.HashMap;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The services of one {@code services} config, immutable once built. A changed config builds a
 * new registry (passing the current one, so unchanged instances keep their health), starts it,
 * swaps it in, then stops the old one.
 *
 * <p>Discovered services ({@code discovery.kubernetes}) each have an {@link EndpointSliceWatch}. The watch
 * belongs to the service definition, not to a registry: {@link #start} takes over the running watch of the
 * same service with the same discovery settings from the registry this one replaces, so reloads open no new
 * watches; {@link #stop} ends only the watches no successor took.
 */
public final class ServiceRegistry {

  /** A registry, or the problems that kept it from being built (then {@code registry} is null). */
  public record Result(ServiceRegistry registry, List<String> problems) {
    public boolean ok() {
      return registry != null;
    }
  }

  /** How long a start waits for a new watch's first list, so a new discovered service starts with instances. */
  static final long FIRST_LIST_WAIT_MS = 2_000;

  private final Map<String, Service> services;
  private final List<HealthChecker> checkers = new ArrayList<>();
  /** The discovery watches this registry owns, by service name. */
  private final Map<String, EndpointSliceWatch> watches = new HashMap<>();
  /** The registry this one replaces, until {@link #start} has taken its watches. */
  private ServiceRegistry previous;
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
    ServiceRegistry registry = new ServiceRegistry(read);
    registry.previous = previous;
    return new Result(registry, List.of());
  }

  private static void inherit(Service service, Service previous) {
    if (previous == null) {
      return;
    }
    if (service.discovery() != null) {
      service.predecessors(previous.instances()); // taken over when the first endpoints arrive
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

  /** Starts with Kubernetes settings from the process environment alone. */
  public Future<Void> start(Vertx vertx) {
    return start(vertx, KubernetesSettings.from(null, System.getenv()));
  }

  /**
   * Starts the active health checks (one periodic timer per service that has a {@code healthCheck}) and the
   * discovery watches, all on the caller's context (or a new one off Vert.x threads). Watches of the registry
   * this one replaces are taken over when the service and its discovery settings are the same; the future
   * completes when every discovered service has its last known instances, or its first list (waited for at most
   * {@value #FIRST_LIST_WAIT_MS} ms: an unreachable API server leaves the service empty, answering 503, until
   * the watch gets through).
   *
   * @param kube the API server, token and own namespace discovery uses
   */
  public synchronized Future<Void> start(Vertx vertx, KubernetesSettings kube) {
    if (started || stopped) {
      return Future.succeededFuture();
    }
    started = true;
    ServiceRegistry before = previous;
    previous = null;
    Context context = vertx.getOrCreateContext();
    List<Future<Void>> ready = new ArrayList<>();
    for (Service service : services.values()) {
      if (service.discovery() != null) {
        EndpointSliceWatch watch = before == null ? null : before.handOver(service);
        boolean fresh = watch == null;
        if (fresh) {
          watch = new EndpointSliceWatch(vertx, kube, service.name(), service.discovery());
        }
        watches.put(service.name(), watch);
        Future<Void> attached = watch.attach(service);
        if (fresh) {
          watch.start();
          Future<Void> listed = watch.listed().timeout(FIRST_LIST_WAIT_MS, TimeUnit.MILLISECONDS)
              .recover(err -> Future.succeededFuture());
          attached = attached.compose(v -> listed);
        }
        ready.add(attached);
      }
      if (service.healthCheck() != null) {
        checkers.add(new HealthChecker(service));
      }
    }
    if (!checkers.isEmpty()) {
      client = vertx.createHttpClient(
          new HttpClientOptions().setName("junction-health-checks").setKeepAlive(true),
          new PoolOptions().setHttp1MaxSize(2));
      HttpClient http = client;
      Promise<Void> checking = Promise.promise();
      context.runOnContext(v -> {
        checkers.forEach(checker -> checker.start(vertx, http));
        checking.complete();
      });
      ready.add(checking.future());
    }
    return Future.all(ready).mapEmpty();
  }

  /**
   * The running watch of {@code service}'s name when its discovery settings are the same, now the caller's:
   * this registry will not stop it. Null otherwise.
   */
  private synchronized EndpointSliceWatch handOver(Service service) {
    EndpointSliceWatch watch = watches.get(service.name());
    if (stopped || watch == null || !watch.spec().equals(service.discovery())) {
      return null;
    }
    watches.remove(service.name());
    return watch;
  }

  /** How many discovery watches this registry runs (for tests: reloads must not add any). */
  synchronized int watches() {
    return watches.size();
  }

  /**
   * Stops the health checks and the watches no successor took over, and closes their clients; the services
   * stay usable with their last state.
   */
  public synchronized Future<Void> stop() {
    if (stopped) {
      return Future.succeededFuture();
    }
    stopped = true;
    previous = null;
    checkers.forEach(HealthChecker::stop);
    List<Future<Void>> closing = new ArrayList<>();
    watches.values().forEach(watch -> closing.add(watch.stop()));
    watches.clear();
    if (client != null) {
      closing.add(client.close());
    }
    return Future.join(closing).mapEmpty();
  }
}
