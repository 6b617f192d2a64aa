package io.junction.routes;

import io.junction.http.ApiProblem;
import io.junction.http.ApiReplies;
import io.junction.config.ConfigException;
import io.junction.config.YamlReader;
import io.junction.http.AdminApi;
import io.junction.identity.IdentityBackup;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code GET /api/v1/backup} (JSON), {@code GET /api/v1/backup.yaml} and {@code POST /api/v1/restore}. A restore
 * is checked whole first (checksum, shape of every part, every route and service through the gateway's builder),
 * then applied in one transaction: routes and services as {@code restore} revisions, then roles, permissions and
 * users ({@link IdentityBackup#restore}), with all their outbox events. Any failure, in any part, rolls all of it
 * back. With {@code dryRun=true} it answers the differences and changes nothing.
 */
final class BackupApi implements AdminApi {
  private static final Set<String> TOP = Set.of("format", "createdAt", "revision", "routes", "services", "identity", "checksum");

  private final Vertx vertx;
  private final Backups backups;
  private final Changes changes;
  private final Audit audit;

  BackupApi(Vertx vertx, Backups backups, Changes changes, Audit audit) {
    this.vertx = vertx;
    this.backups = backups;
    this.changes = changes;
    this.audit = audit;
  }

  @Override
  public Map<String, Handler<RoutingContext>> operations() {
    return Map.of(
      "getBackup", ApiReplies.handler("routes", ctx -> backups.take().map(b -> {
        audit.record(ctx, "routes.backup.take", "backup", "success", new JsonObject().put("checksum", b.getString("checksum")));
        return ApiReplies.Reply.ok(b);
      })),
      "getBackupYaml", ctx -> backups.take().onComplete(ar -> {
        if (ar.failed()) {
          ApiReplies.fail(ctx, "routes", ar.cause());
          return;
        }
        audit.record(ctx, "routes.backup.take", "backup", "success", new JsonObject().put("checksum", ar.result().getString("checksum")));
        ctx.response().putHeader("Content-Type", "application/yaml; charset=utf-8").putHeader("Cache-Control", "no-store")
          .end(yaml(ar.result()));
      }),
      "restoreBackup", ApiReplies.handler("routes", this::restore));
  }

  static String yaml(JsonObject document) {
    DumperOptions options = new DumperOptions();
    options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    options.setWidth(160);
    return new Yaml(options).dump(plain(document));
  }

  /** Maps and lists all the way down: the YAML dumper would tag Vert.x JSON types as Java classes. */
  private static Object plain(Object value) {
    if (value instanceof JsonObject o) {
      Map<String, Object> out = new LinkedHashMap<>();
      o.forEach(e -> out.put(e.getKey(), plain(e.getValue())));
      return out;
    }
    if (value instanceof JsonArray a) {
      List<Object> out = new ArrayList<>();
      a.forEach(v -> out.add(plain(v)));
      return out;
    }
    return value;
  }

  /** The backup in a request: JSON, or YAML (or JSON) text sent as text/plain. */
  private static JsonObject read(RoutingContext ctx) {
    String type = ctx.request().getHeader("Content-Type");
    String text = ctx.body().asString();
    if (type != null && type.toLowerCase().startsWith("text/plain")) {
      Object value;
      try {
        value = Json.decodeValue(text.trim().startsWith("{") ? text : "null");
      } catch (RuntimeException e) {
        value = null;
      }
      if (value instanceof JsonObject json) {
        return json;
      }
      try {
        return YamlReader.read(text, "the backup");
      } catch (ConfigException e) {
        throw ApiProblem.invalid("body", "", e.getMessage());
      }
    }
    return ctx.body().asJsonObject();
  }

  /** Every refused restore is audited, the ones refused before any I/O included. */
  private Future<ApiReplies.Reply> restore(RoutingContext ctx) {
    boolean dryRun = Boolean.parseBoolean(ctx.queryParams().get("dryRun"));
    return Future.<Void>succeededFuture().compose(v -> check(ctx, dryRun)).onFailure(err -> {
      if (!dryRun && err instanceof ApiProblem p && p.status() != 503) {
        audit.record(ctx, "routes.backup.restore", "backup", "failure", new JsonObject().put("status", p.status()).put("error", p.code()));
      }
    });
  }

  private Future<ApiReplies.Reply> check(RoutingContext ctx, boolean dryRun) {
    JsonObject backup = read(ctx);
    JsonArray shape = new JsonArray();
    for (String key : backup.fieldNames()) {
      if (!TOP.contains(key)) {
        shape.add(ApiProblem.detail("body", key, "additionalProperties", "unknown field (known: " + String.join(", ", new java.util.TreeSet<>(TOP)) + ")"));
      }
    }
    if (!Backups.FORMAT.equals(backup.getValue("format"))) {
      shape.add(ApiProblem.detail("body", "format", "const", "must be " + Backups.FORMAT));
    }
    Object checksum = backup.getValue("checksum");
    if (checksum != null && !Backups.checksum(backup).equals(checksum)) {
      shape.add(ApiProblem.detail("body", "checksum", "value", "does not match the content: the backup was changed or is incomplete"));
    }
    Object routesValue = backup.getValue("routes", new JsonArray());
    Object servicesValue = backup.getValue("services", new JsonObject());
    List<JsonObject> routes = new ArrayList<>();
    Map<String, JsonObject> services = new LinkedHashMap<>();
    if (!(routesValue instanceof JsonArray routeArray)) {
      shape.add(ApiProblem.detail("body", "routes", "type", "must be a list of route definitions"));
    } else {
      for (int i = 0; i < routeArray.size(); i++) {
        Object r = routeArray.getValue(i);
        if (!(r instanceof JsonObject route)) {
          shape.add(ApiProblem.detail("body", "routes[" + i + "]", "type", "must be a route definition object"));
          continue;
        }
        if (!(route.getValue("id") instanceof String)) {
          shape.add(ApiProblem.detail("body", "routes[" + i + "].id", "required", "a route id (text) is required"));
          continue;
        }
        for (String key : route.fieldNames()) {
          if (!DefinitionsApi.ROUTE_FIELDS.contains(key)) {
            shape.add(ApiProblem.detail("body", "routes[" + i + "]." + key, "additionalProperties", "unknown field of a route"));
          }
        }
        routes.add(route);
      }
    }
    if (!(servicesValue instanceof JsonObject serviceMap)) {
      shape.add(ApiProblem.detail("body", "services", "type", "must be an object of service name → definition"));
    } else {
      for (String name : serviceMap.fieldNames()) {
        if (!(serviceMap.getValue(name) instanceof JsonObject definition)) {
          shape.add(ApiProblem.detail("body", "services." + name, "type", "must be a service definition object"));
        } else {
          services.put(name, definition);
        }
      }
    }
    Object identityValue = backup.getValue("identity");
    JsonObject identity = identityValue instanceof JsonObject o ? o : null;
    if (identity != null) {
      shape.addAll(IdentityBackup.check(identity));
    } else if (identityValue != null) {
      shape.add(ApiProblem.detail("body", "identity", "type", "must be an object of roles, permissions and users"));
    }
    List<String> ids = routes.stream().map(r -> r.getString("id")).toList();
    try {
      Changes.noDuplicates(ids, (i, id) -> "routes[" + i + "].id");
    } catch (ApiProblem p) {
      shape.addAll(p.details());
    }
    if (!shape.isEmpty()) {
      throw ApiProblem.invalid("the backup cannot be restored: " + shape.getJsonObject(0).getString("field") + ": "
        + shape.getJsonObject(0).getString("reason") + (shape.size() > 1 ? " (and " + (shape.size() - 1) + " more)" : ""), shape);
    }
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < ids.size(); i++) {
      index.put(ids.get(i), i);
    }
    String actor = Audit.actor(ctx);
    String traceId = Audit.traceId();
    // One transaction: routes and services (as restore revisions), then the identity part, with every outbox event.
    Changes.Also identityPart = identity == null ? null : tx -> IdentityBackup.restore(tx, identity, actor, traceId);
    return changes.apply(actor, traceId, state -> plan(state, routes, services),
        (kind, id, field) -> kind == Kind.ROUTE
          ? "routes[" + index.getOrDefault(id, 0) + "]" + (field.isEmpty() ? "" : field.startsWith("[") ? field : "." + field)
          : "services." + id + (field.isEmpty() ? "" : field.startsWith("[") ? field : "." + field), dryRun, identityPart)
      .map(outcome -> {
        JsonArray diff = new JsonArray();
        outcome.written().forEach(w -> diff.add(new JsonObject().put("kind", w.change().kind().noun).put("id", w.change().id())
          .put("change", w.difference())
          .put("before", w.before() == null ? null : w.before().definition())
          .put("after", w.item() == null ? null : w.item().definition())));
        JsonObject result = new JsonObject().put("dryRun", dryRun).put("changes", diff).put("identity", outcome.also())
          .put("identityRestored", identity != null && !dryRun);
        if (!dryRun) {
          if (identity != null && !outcome.also().isEmpty()) {
            vertx.eventBus().send(IdentityBackup.RESTORED_ADDRESS, null); // every node's identity view learns the new state
          }
          audit.record(ctx, "routes.backup.restore", "backup", "success", new JsonObject().put("changes", outcome.written().size())
            .put("identityChanges", outcome.also().size()).put("checksum", backup.getString("checksum")).put("identity", identity != null));
        }
        return ApiReplies.Reply.ok(result);
      });
  }

  /** The whole stored tables become the backup's: differing ones written, missing ones created, others deleted. */
  private static List<Changes.Change> plan(Changes.State state, List<JsonObject> routes, Map<String, JsonObject> services) {
    List<Changes.Change> out = new ArrayList<>();
    Map<String, JsonObject> wantedRoutes = new LinkedHashMap<>();
    routes.forEach(r -> wantedRoutes.put(r.getString("id"), r));
    planKind(state, Kind.ROUTE, wantedRoutes, out);
    planKind(state, Kind.SERVICE, services, out);
    return out;
  }

  private static void planKind(Changes.State state, Kind kind, Map<String, JsonObject> wanted, List<Changes.Change> out) {
    Map<String, Store.Item> now = state.of(kind);
    for (Map.Entry<String, JsonObject> e : wanted.entrySet()) {
      Store.Item current = now.get(e.getKey());
      if (current == null || !current.definition().equals(e.getValue())) {
        if (state.config().of(kind).containsKey(e.getKey()) && !state.config().apiOverrides()) {
          throw Refusals.readOnly(kind, e.getKey());
        }
        out.add(new Changes.Change(kind, e.getKey(), "restore", e.getValue(), "restored"));
      }
    }
    for (String id : now.keySet()) {
      if (!wanted.containsKey(id)) {
        out.add(new Changes.Change(kind, id, "restore", null, "restored"));
      }
    }
  }
}
