package io.junction.gateway.upstream;

import io.junction.config.KubernetesSettings;
import io.junction.config.ServiceAccountToken;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the EndpointSlices of one Kubernetes Service and hands the ready endpoints to the {@link Service} that
 * uses them. Lists the slices ({@code GET /apis/discovery.k8s.io/v1/namespaces/<ns>/endpointslices?labelSelector=
 * kubernetes.io/service-name=<service>}), then watches from the list's resourceVersion over a WebSocket, as
 * kubectl's Go client and fabric8 do (and the config module's ConfigMap watch). When the watch breaks (API server
 * errors, restarts, 410 Gone, network) the service keeps its last known instances; the watch lists again and
 * resumes, with backoff (200 ms doubling to 5 s) on errors. A 401 re-reads the service-account token.
 *
 * <p>A watch belongs to a service definition, not to one route table: a reload that keeps the definition hands the
 * running watch to the new registry's service ({@link #attach}). All state is touched on the context it was
 * created on.
 */
final class EndpointSliceWatch {
  private static final Logger LOG = LoggerFactory.getLogger(EndpointSliceWatch.class);
  static final long MIN_BACKOFF_MS = 200;
  static final long MAX_BACKOFF_MS = 5_000;
  private static final int MAX_MESSAGE = 4 * 1024 * 1024;

  private final Vertx vertx;
  private final Context context;
  private final String serviceName;
  private final KubernetesDiscovery spec;
  private final String namespace;
  private final String source;
  private final ServiceAccountToken token;
  private final HttpClient http;
  private final WebSocketClient ws;
  private final Promise<Void> listed = Promise.promise();
  private final Map<String, JsonObject> slices = new HashMap<>();
  /** The last ready endpoints; null until the first list. */
  private List<Endpoint> endpoints;
  private Service target;
  private String resourceVersion;
  private WebSocket socket;
  private int generation;
  private long timer = -1;
  private long backoffMs = MIN_BACKOFF_MS;
  private long openedAt;
  private boolean stopped;
  private boolean downLogged;

  /** Call on the context the watch should run on (a new one off Vert.x threads). */
  EndpointSliceWatch(Vertx vertx, KubernetesSettings kube, String serviceName, KubernetesDiscovery spec) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.serviceName = serviceName;
    this.spec = spec;
    this.namespace = spec.namespaceOr(kube.namespace());
    this.source = "endpointslices of " + spec.describe(kube.namespace());
    this.token = new ServiceAccountToken(vertx, kube.tokenFile());
    this.http = vertx.createHttpClient(kube.trust(new HttpClientOptions().setDefaultHost(kube.host()).setDefaultPort(kube.port())
        .setConnectTimeout(5_000).setIdleTimeout(30).setName("junction-discovery")));
    this.ws = vertx.createWebSocketClient(kube.trust(new WebSocketClientOptions().setDefaultHost(kube.host())
        .setDefaultPort(kube.port()).setConnectTimeout(5_000).setMaxFrameSize(MAX_MESSAGE).setMaxMessageSize(MAX_MESSAGE)
        .setName("junction-discovery-watch")));
  }

  KubernetesDiscovery spec() {
    return spec;
  }

  /** Reads the token, lists, watches. */
  void start() {
    context.runOnContext(v -> token.reload().onComplete(ar -> connect()));
  }

  /** Completes once the first list has been handed to the service. */
  Future<Void> listed() {
    return listed.future();
  }

  /** Feeds {@code service} from now on, at once with the last known endpoints if there are any. */
  Future<Void> attach(Service service) {
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> {
      target = service;
      if (endpoints != null) {
        service.discovered(endpoints);
      }
      done.complete();
    });
    return done.future();
  }

  /** Ends the watch and closes its clients; the service keeps its last instances. */
  Future<Void> stop() {
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> {
      stopped = true;
      if (timer >= 0) {
        vertx.cancelTimer(timer);
      }
      WebSocket s = socket;
      socket = null;
      Future<Void> closing = s == null ? Future.succeededFuture() : s.close().recover(err -> Future.succeededFuture());
      closing.compose(x -> Future.join(ws.close(), http.close())).<Void>mapEmpty().onComplete(ar -> done.complete());
    });
    return done.future();
  }

  private String path() {
    return "/apis/discovery.k8s.io/v1/namespaces/" + namespace + "/endpointslices?labelSelector="
        + URLEncoder.encode("kubernetes.io/service-name=" + spec.service(), StandardCharsets.UTF_8);
  }

  private void connect() {
    if (stopped) {
      return;
    }
    int attempt = ++generation;
    list(attempt).compose(rv -> watch(rv, attempt)).onComplete(ar -> {
      if (ar.failed()) {
        broken(ar.cause(), attempt, false);
      }
    });
  }

  /** GET every slice of the Service: the whole current state, and the version the watch starts from. */
  private Future<String> list(int attempt) {
    return http.request(new RequestOptions().setMethod(HttpMethod.GET).setURI(path())
            .putHeader("Authorization", "Bearer " + token.current()).putHeader("Accept", "application/json")
            .setTimeout(10_000))
        .compose(request -> request.send().compose(response -> response.body().map(body -> {
          if (response.statusCode() != 200) {
            throw new ApiStatus(response.statusCode(), body);
          }
          if (stopped || attempt != generation) {
            return null;
          }
          JsonObject list = body.toJsonObject();
          slices.clear();
          for (Object item : list.getJsonArray("items", new io.vertx.core.json.JsonArray())) {
            if (item instanceof JsonObject slice) {
              slices.put(name(slice), slice);
            }
          }
          resourceVersion = version(list);
          publish();
          listed.tryComplete();
          return resourceVersion;
        })));
  }

  private Future<Void> watch(String rv, int attempt) {
    String uri = path() + "&watch=true&allowWatchBookmarks=true" + (rv == null ? "" : "&resourceVersion=" + rv);
    WebSocketConnectOptions options = new WebSocketConnectOptions().setURI(uri).setTimeout(10_000)
        .addHeader("Authorization", "Bearer " + token.current());
    return ws.connect(options).map(opened -> {
      if (stopped || attempt != generation) {
        opened.close();
        return null;
      }
      socket = opened;
      openedAt = System.nanoTime();
      if (downLogged) {
        downLogged = false;
        LOG.info("upstream {}: watching the {} again ({} instance(s))", serviceName, source, endpoints == null ? 0 : endpoints.size());
      } else {
        LOG.debug("upstream {}: watching the {} from resourceVersion {}", serviceName, source, rv);
      }
      opened.textMessageHandler(text -> onMessage(opened, Buffer.buffer(text)));
      opened.binaryMessageHandler(frame -> onMessage(opened, frame));
      opened.exceptionHandler(err -> LOG.debug("upstream {}: watch error: {}", serviceName, err.toString()));
      opened.closeHandler(v -> {
        if (socket == opened) {
          socket = null;
          broken(new IllegalStateException("the API server ended the watch"), attempt, true);
        }
      });
      return null;
    });
  }

  private void onMessage(WebSocket from, Buffer frame) {
    if (from != socket) {
      return; // a watch already replaced
    }
    backoffMs = MIN_BACKOFF_MS; // a watch that delivers is a healthy one
    try {
      JsonObject event = frame.toJsonObject();
      String type = event.getString("type", "");
      JsonObject object = event.getJsonObject("object", new JsonObject());
      switch (type) {
        case "ADDED", "MODIFIED" -> {
          slices.put(name(object), object);
          resourceVersion = version(object);
          publish();
        }
        case "DELETED" -> {
          slices.remove(name(object));
          resourceVersion = version(object);
          publish();
        }
        case "BOOKMARK" -> resourceVersion = version(object);
        default -> {
          // ERROR, typically 410 Gone (our version is too old): list again and watch from the new version.
          LOG.info("upstream {}: the watch of the {} ended ({}); listing again", serviceName, source,
              object.getString("message", type));
          socket = null;
          from.close();
          connect();
        }
      }
    } catch (RuntimeException e) {
      LOG.warn("upstream {}: ignoring a watch event of the {} that could not be read: {}", serviceName, source, e.toString());
    }
  }

  /** Hands the ready endpoints to the service when they changed. */
  private void publish() {
    List<Endpoint> next = EndpointSlices.ready(slices.values(), spec);
    if (next.equals(endpoints)) {
      return;
    }
    LOG.info("upstream {}: {} ready instance(s) from the {}{}", serviceName, next.size(), source,
        next.isEmpty() ? " (requests get 503 until one is ready)" : "");
    endpoints = next;
    if (target != null) {
      target.discovered(next);
    }
  }

  private void broken(Throwable cause, int attempt, boolean ended) {
    if (stopped || attempt != generation) {
      return;
    }
    int status = cause instanceof ApiStatus a ? a.status : cause instanceof UpgradeRejectedException u ? u.getStatus() : 0;
    String why = status > 0 ? "HTTP " + status : String.valueOf(cause.getMessage());
    int kept = endpoints == null ? 0 : endpoints.size();
    if (ended && System.nanoTime() - openedAt >= 10_000_000_000L) {
      backoffMs = MIN_BACKOFF_MS; // a long watch the server ended (its timeout): no trouble
    }
    if (ended) {
      LOG.debug("upstream {}: {}; listing again", serviceName, why);
    } else if (!downLogged) {
      downLogged = true;
      LOG.warn("upstream {}: the watch of the {} is down ({}); keeping the last {} instance(s) and retrying", serviceName,
          source, why, kept);
    } else {
      LOG.debug("upstream {}: the watch of the {} is still down: {}", serviceName, source, why);
    }
    Future<?> before = status == 401 ? token.reload() : Future.succeededFuture();
    long delay = backoffMs;
    backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
    before.onComplete(ar -> {
      if (!stopped) {
        timer = vertx.setTimer(delay, t -> {
          timer = -1;
          connect();
        });
      }
    });
  }

  private static String name(JsonObject object) {
    return object.getJsonObject("metadata", new JsonObject()).getString("name", "");
  }

  private static String version(JsonObject object) {
    return object.getJsonObject("metadata", new JsonObject()).getString("resourceVersion");
  }

  /** A non-success answer of the API server. */
  private static final class ApiStatus extends RuntimeException {
    final int status;

    ApiStatus(int status, Buffer body) {
      super("HTTP " + status + ": " + (body == null ? "" : body.toString().substring(0, Math.min(200, body.length()))));
      this.status = status;
    }
  }
}
