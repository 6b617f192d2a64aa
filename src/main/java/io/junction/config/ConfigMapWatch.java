package io.junction.config;

import io.vertx.core.Future;
import io.vertx.core.Handler;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the one ConfigMap with the Kubernetes watch API, so an edit reaches the config module within
 * milliseconds instead of at the next scan. It reads the map (GET, which also gives the resourceVersion),
 * then watches from that version ({@code ?watch=true&fieldSelector=metadata.name=<name>&resourceVersion=<rv>})
 * over a WebSocket, as kubectl's Go client and fabric8 do. When the watch breaks (API server restarted, 410
 * Gone, timeout, network) it says so, the scan carries on alone, and it reconnects with backoff (200 ms
 * doubling to 5 s), reading the map again first so nothing edited in between is missed. A 401 re-reads the
 * service-account token.
 */
final class ConfigMapWatch {
  private static final Logger LOG = LoggerFactory.getLogger(ConfigMapWatch.class);
  private static final long MIN_BACKOFF_MS = 200;
  private static final long MAX_BACKOFF_MS = 5_000;
  private static final int MAX_MESSAGE = 4 * 1024 * 1024; // a ConfigMap is at most 1 MiB; events carry it whole

  /** A ConfigMap as the API server sent it ({@code SYNC} for a read, else the watch event type); null = absent. */
  record Event(String type, JsonObject configMap) {
    String resourceVersion() {
      return configMap == null ? null : configMap.getJsonObject("metadata", new JsonObject()).getString("resourceVersion");
    }
  }

  private final Vertx vertx;
  private final KubernetesSettings kube;
  private final ServiceAccountToken token;
  private final Handler<Event> events;
  private final HttpClient http;
  private final WebSocketClient ws;
  private boolean stopped;
  private boolean watching;
  private boolean downLogged;
  private String resourceVersion;
  private long backoffMs = MIN_BACKOFF_MS;
  private WebSocket socket;
  private long timer = -1;

  ConfigMapWatch(Vertx vertx, KubernetesSettings kube, ServiceAccountToken token, Handler<Event> events) {
    this.vertx = vertx;
    this.kube = kube;
    this.token = token;
    this.events = events;
    this.http = vertx.createHttpClient(kube.trust(new HttpClientOptions().setDefaultHost(kube.host()).setDefaultPort(kube.port())
      .setConnectTimeout(5_000).setIdleTimeout(30).setName("junction-kubernetes")));
    this.ws = vertx.createWebSocketClient(kube.trust(new WebSocketClientOptions().setDefaultHost(kube.host()).setDefaultPort(kube.port())
      .setConnectTimeout(5_000).setMaxFrameSize(MAX_MESSAGE).setMaxMessageSize(MAX_MESSAGE).setName("junction-kubernetes-watch")));
  }

  boolean watching() {
    return watching;
  }

  String resourceVersion() {
    return resourceVersion;
  }

  void start() {
    connect();
  }

  private String path() {
    return "/api/v1/namespaces/" + kube.namespace() + "/configmaps";
  }

  private void connect() {
    if (stopped) {
      return;
    }
    read().compose(rv -> openWatch(rv)).onComplete(ar -> {
      if (ar.failed()) {
        broken(ar.cause());
      }
    });
  }

  /** GET the map: its content goes to the config module (edits made while the watch was down), its version starts the watch. */
  private Future<String> read() {
    return http.request(new RequestOptions().setMethod(HttpMethod.GET).setURI(path() + "/" + kube.name())
        .putHeader("Authorization", "Bearer " + token.current()).putHeader("Accept", "application/json").setTimeout(10_000))
      .compose(req -> req.send().compose(resp -> resp.body().map(body -> {
        if (resp.statusCode() == 200) {
          JsonObject map = body.toJsonObject();
          Event e = new Event("SYNC", map);
          resourceVersion = e.resourceVersion();
          events.handle(e);
          return resourceVersion;
        }
        if (resp.statusCode() == 404) {
          events.handle(new Event("DELETED", null));
          return (String) null;
        }
        throw new ApiStatus(resp.statusCode(), body);
      })));
  }

  private Future<Void> openWatch(String rv) {
    String uri = path() + "?watch=true&allowWatchBookmarks=true&fieldSelector=metadata.name=" + kube.name()
      + (rv == null ? "" : "&resourceVersion=" + rv);
    WebSocketConnectOptions options = new WebSocketConnectOptions().setURI(uri).setTimeout(10_000)
      .addHeader("Authorization", "Bearer " + token.current());
    return ws.connect(options).map(socket -> {
      if (stopped) {
        socket.close();
        return null;
      }
      this.socket = socket;
      watching = true;
      downLogged = false;
      backoffMs = MIN_BACKOFF_MS;
      LOG.info("config: watching {} from resourceVersion {}", kube.configMapSource(), rv);
      socket.textMessageHandler(text -> onMessage(Buffer.buffer(text)));
      socket.binaryMessageHandler(this::onMessage);
      socket.exceptionHandler(err -> LOG.debug("config: watch error: {}", err.toString()));
      socket.closeHandler(v -> {
        if (this.socket == socket) {
          this.socket = null;
          broken(new IllegalStateException("the API server closed the watch"));
        }
      });
      return null;
    });
  }

  private void onMessage(Buffer frame) {
    JsonObject event;
    try {
      event = frame.toJsonObject();
    } catch (RuntimeException e) {
      LOG.warn("config: ignoring a watch event that is not JSON: {}", e.getMessage());
      return;
    }
    String type = event.getString("type", "");
    JsonObject object = event.getJsonObject("object");
    switch (type) {
      case "ADDED", "MODIFIED" -> {
        Event e = new Event(type, object);
        resourceVersion = e.resourceVersion();
        events.handle(e);
      }
      case "DELETED" -> {
        resourceVersion = new Event(type, object).resourceVersion();
        events.handle(new Event(type, null));
      }
      case "BOOKMARK" -> resourceVersion = new Event(type, object).resourceVersion();
      default -> {
        // ERROR, e.g. 410 Gone (our version is too old): read again and watch from the new version.
        String reason = object == null ? type : object.getString("message", type);
        LOG.info("config: the watch of {} ended ({}); reading it again", kube.configMapSource(), reason);
        WebSocket s = socket;
        socket = null;
        if (s != null) {
          s.close();
        }
        watching = false;
        connect();
      }
    }
  }

  private void broken(Throwable cause) {
    watching = false;
    if (stopped) {
      return;
    }
    int status = cause instanceof ApiStatus a ? a.status : cause instanceof UpgradeRejectedException u ? u.getStatus() : 0;
    String why = status > 0 ? "HTTP " + status : cause.getMessage();
    if (!downLogged) {
      downLogged = true;
      LOG.warn("config: the watch of {} is down ({}); the periodic scan carries on and the watch reconnects", kube.configMapSource(), why);
    } else {
      LOG.debug("config: the watch of {} is still down: {}", kube.configMapSource(), why);
    }
    Future<?> before = status == 401 ? token.reload() : Future.succeededFuture();
    long delay = backoffMs;
    backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
    before.onComplete(ar -> timer = vertx.setTimer(delay, t -> {
      timer = -1;
      connect();
    }));
  }

  void stop() {
    stopped = true;
    watching = false;
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    if (socket != null) {
      socket.close();
    }
    ws.close();
    http.close();
  }

  /** A non-success answer of the API server. */
  static final class ApiStatus extends RuntimeException {
    final int status;

    ApiStatus(int status, Buffer body) {
      super("HTTP " + status + ": " + (body == null ? "" : body.toString().substring(0, Math.min(200, body.length()))));
      this.status = status;
    }
  }
}
