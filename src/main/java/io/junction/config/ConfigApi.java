package io.junction.config;

import io.junction.audit.Auditor;
import io.junction.http.AdminApi;
import io.junction.http.ApiError;
import io.junction.http.ApiProblem;
import io.junction.http.ApiReplies;
import io.junction.http.Caller;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code GET /api/v1/config}, {@code /config/status}, {@code /config/history} and, with write-back,
 * {@code PUT /api/v1/config}. The config module's state lives on its verticle; these handlers (on every HTTP
 * verticle) ask it over the event bus, so they never read it from another thread. Credentials are redacted
 * before anything leaves the module.
 *
 * <p>Write-back does not apply anything itself: it validates the document the way the config module validates a
 * ConfigMap edit ({@code junction.config.validate}), writes it into the ConfigMap with the resourceVersion the
 * caller read ({@link ConfigMapWriter}), and every node then applies it through its watch like any
 * {@code kubectl edit}. The ETag of the reads is that resourceVersion.
 */
public final class ConfigApi implements AdminApi {
  private static final Logger LOG = LoggerFactory.getLogger(ConfigApi.class);
  private static final DeliveryOptions ASK = new DeliveryOptions().setSendTimeout(5_000);
  private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
  private static final Pattern KEY = Pattern.compile("config key '([^']+)'");

  private final Vertx vertx;
  private final KubernetesSettings kube;
  private final Auditor auditor;
  private final ConfigMapWriter writer;

  /** A node that does not read a ConfigMap: the reads, and PUT refused as write-back off. */
  public ConfigApi(Vertx vertx) {
    this(vertx, new JsonObject().put("config", new JsonObject()), Map.of());
  }

  /** @param config the configuration the node runs with; env the process environment (as the config module reads it) */
  public ConfigApi(Vertx vertx, JsonObject config, Map<String, String> env) {
    this.vertx = vertx;
    this.kube = KubernetesSettings.from(config.getJsonObject("config").getJsonObject("kubernetes"), env);
    this.auditor = new Auditor(vertx, "config");
    this.writer = kube.enabled() && kube.writeBack() ? new ConfigMapWriter(vertx, kube) : null;
  }

  @Override
  public Map<String, Handler<RoutingContext>> operations() {
    return Map.of(
      "getConfig", ctx -> ask(ctx, ConfigVerticle.GET_ADDRESS, config -> ask(ctx, ConfigVerticle.STATUS_ADDRESS, status -> {
        JsonObject applied = status.getJsonObject("applied");
        send(ctx, status, new JsonObject().put("version", applied.getLong("version")).put("hash", applied.getString("hash"))
          .put("config", ConfigDiff.redacted(config)));
      })),
      "getConfigStatus", ctx -> ask(ctx, ConfigVerticle.STATUS_ADDRESS, status -> send(ctx, status, status)),
      "getConfigHistory", ctx -> ask(ctx, ConfigVerticle.HISTORY_ADDRESS, history -> {
        String limit = ctx.queryParams().get("limit");
        JsonArray items = history.getJsonArray("items");
        int n = limit == null ? items.size() : Math.min(items.size(), Integer.parseInt(limit));
        ok(ctx, null, new JsonObject().put("items", new JsonArray(items.getList().subList(0, n))));
      }),
      "putConfig", this::putConfig);
  }

  private void ask(RoutingContext ctx, String address, Handler<JsonObject> then) {
    vertx.eventBus().<JsonObject>request(address, null, ASK).onComplete(ar -> {
      if (ar.succeeded()) {
        then.handle(ar.result().body());
      } else {
        LOG.warn("config: {} did not answer: {}", address, ar.cause().getMessage());
        ApiError.send(ctx.response(), 503, "unavailable", "the config module did not answer, try again", null);
      }
    });
  }

  /**
   * A read, with the ConfigMap's newest resourceVersion as ETag. Without the watch the config module does not
   * know it; with write-back the API server is asked, so a PUT is possible with the scan alone.
   */
  private void send(RoutingContext ctx, JsonObject status, JsonObject body) {
    String seen = status.getJsonObject("kubernetes", new JsonObject()).getString("resourceVersion");
    if (seen != null || writer == null) {
      ok(ctx, seen, body);
      return;
    }
    writer.resourceVersion().onComplete(ar -> {
      if (ar.failed()) {
        LOG.warn("config: no ETag for {}: {}", ctx.request().path(), ar.cause().getMessage());
      }
      ok(ctx, ar.succeeded() ? ar.result() : null, body);
    });
  }

  private static void ok(RoutingContext ctx, String resourceVersion, JsonObject body) {
    if (ctx.response().ended() || ctx.response().closed()) {
      return;
    }
    if (resourceVersion != null) {
      ctx.response().putHeader("ETag", "\"" + resourceVersion + "\"");
    }
    ctx.response().setStatusCode(200).putHeader("Content-Type", "application/json").putHeader("Cache-Control", "no-store")
      .end(body.encode());
  }

  /** Refusals first (write-back off, If-Match, body), then validation, then the write; every outcome audited. */
  private void putConfig(RoutingContext ctx) {
    String before = null;
    Future<String> written;
    JsonArray problems = new JsonArray();
    try {
      refuseUnlessWritable();
      before = expectedVersion(ctx);
      String document = document(ctx);
      String expected = before;
      written = validate(document, problems).compose(v -> writer.write(expected, document));
    } catch (ApiProblem p) {
      written = Future.failedFuture(p);
    }
    String previous = before;
    written.onComplete(ar -> {
      audit(ctx, previous, ar.succeeded() ? ar.result() : null, ar.failed() ? ar.cause() : null, problems);
      if (ar.failed()) {
        ApiReplies.fail(ctx, "config", ar.cause());
        return;
      }
      LOG.info("config: {} written by {} (resourceVersion {} → {}); it applies when the watch sees it", kube.configMapSource(),
        actor(ctx), previous, ar.result());
      if (!ctx.response().ended() && !ctx.response().closed()) {
        ctx.response().setStatusCode(202).putHeader("ETag", "\"" + ar.result() + "\"").putHeader("Content-Type", "application/json")
          .putHeader("Cache-Control", "no-store").end(new JsonObject().put("configMap", kube.namespace() + "/" + kube.name())
            .put("key", kube.key()).put("resourceVersion", ar.result()).put("previousResourceVersion", previous).encode());
      }
    });
  }

  private void refuseUnlessWritable() {
    String why;
    if (!kube.enabled()) {
      why = "write-back is off: Junction does not read its configuration from a ConfigMap (config.kubernetes.enabled is false); edit the config file";
    } else if (!kube.writeBack()) {
      why = "write-back is off (config.kubernetes.writeBack is false): edit the ConfigMap " + kube.namespace() + "/" + kube.name()
        + " with kubectl, or turn write-back on (docs/kubernetes.md)";
    } else if (kube.wholeMap()) {
      why = "write-back writes one YAML document into config.kubernetes.key, and the ConfigMap " + kube.namespace() + "/" + kube.name()
        + " is read in whole-map mode (the key is empty): edit it with kubectl";
    } else {
      return;
    }
    throw new ApiProblem(409, "write_back_off", why, null);
  }

  /** The resourceVersion the caller read: If-Match, as the ETag gave it ({@code "4711"}, W/ tolerated). */
  private static String expectedVersion(RoutingContext ctx) {
    String header = ctx.request().getHeader("If-Match");
    if (header == null || header.isBlank()) {
      throw new ApiProblem(428, "precondition_required",
        "If-Match is required: send the ETag of GET /api/v1/config (the ConfigMap's resourceVersion you read)", null);
    }
    String value = header.trim();
    if (value.startsWith("W/")) {
      value = value.substring(2);
    }
    if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
      value = value.substring(1, value.length() - 1);
    }
    if (!VERSION.matcher(value).matches()) {
      throw ApiProblem.invalid("header", "If-Match", "must be the ETag of GET /api/v1/config: the ConfigMap's resourceVersion in quotes, such as \"4711\" (* is not accepted)");
    }
    return value;
  }

  /** The body as the YAML text to store: text as sent, a JSON object as block YAML. */
  private static String document(RoutingContext ctx) {
    String type = ctx.request().getHeader("Content-Type");
    String document;
    if (type != null && type.toLowerCase(Locale.ROOT).contains("json")) {
      DumperOptions options = new DumperOptions();
      options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
      document = new Yaml(options).dump(plain(ctx.body().asJsonObject()));
    } else {
      String text = ctx.body().asString(StandardCharsets.UTF_8.name());
      document = text == null ? "" : text;
    }
    if (document.getBytes(StandardCharsets.UTF_8).length > ConfigMapWriter.MAX_DOCUMENT_BYTES) {
      throw new ApiProblem(413, "payload_too_large", "the document is larger than a ConfigMap can hold ("
        + ConfigMapWriter.MAX_DOCUMENT_BYTES + " bytes)", null);
    }
    return document;
  }

  /** JSON as the maps, lists and scalars SnakeYAML writes. */
  private static Object plain(Object value) {
    Object v = value instanceof JsonObject o ? o.getMap() : value instanceof JsonArray a ? a.getList() : value;
    if (v instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      map.forEach((k, x) -> out.put(String.valueOf(k), plain(x)));
      return out;
    }
    if (v instanceof List<?> list) {
      return list.stream().map(ConfigApi::plain).toList();
    }
    return v;
  }

  /** The config module's verdict on the document; a refusal lists each problem, naming its key when it has one. */
  private Future<Void> validate(String document, JsonArray problems) {
    return vertx.eventBus().<JsonObject>request(ConfigVerticle.VALIDATE_ADDRESS, new JsonObject().put("document", document), ASK)
      .recover(err -> Future.failedFuture(ApiProblem.unavailable("the config module did not check the document ("
        + err.getMessage() + "): nothing was written, try again")))
      .compose(reply -> {
        JsonArray found = reply.body().getJsonArray("problems", new JsonArray());
        if (found.isEmpty()) {
          return Future.succeededFuture();
        }
        problems.addAll(found);
        JsonArray details = new JsonArray();
        for (int i = 0; i < found.size() && i < 100; i++) {
          String problem = String.valueOf(found.getValue(i));
          Matcher key = KEY.matcher(problem);
          details.add(ApiProblem.detail("body", key.find() ? key.group(1) : "", "value", problem));
        }
        String message = "the configuration is refused, nothing was written: " + String.join("; ", found.stream().map(String::valueOf).toList());
        return Future.failedFuture(ApiProblem.invalid(message.length() > 2000 ? message.substring(0, 1997) + "..." : message, details));
      });
  }

  private static String actor(RoutingContext ctx) {
    Caller caller = Caller.of(ctx);
    return caller == null ? "anonymous" : caller.userId();
  }

  /** {@code config.write}: who, the resourceVersion before (If-Match) and after (null when nothing was written), why not. */
  private void audit(RoutingContext ctx, String before, String after, Throwable failure, JsonArray problems) {
    JsonObject metadata = new JsonObject().put("resourceVersionBefore", before).put("resourceVersionAfter", after);
    String outcome = "success";
    if (failure != null) {
      int status = failure instanceof ApiProblem p ? p.status() : 503;
      metadata.put("status", status).put("reason", failure.getMessage());
      if (!problems.isEmpty()) {
        metadata.put("problems", problems);
      }
      outcome = status >= 500 ? "error" : "failure";
    }
    auditor.record(ctx, actor(ctx), "config.write", kube.configMapSource(), outcome, metadata);
  }
}
