package io.junction.routes;

import io.junction.http.ApiProblem;
import io.junction.http.ApiReplies;
import io.junction.cache.CacheAside;
import io.junction.http.AdminApi;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code /api/v1/routes} or {@code /api/v1/services}: list, create, read, replace, patch, delete, batch,
 * validate, history and rollback (and, for routes, the match test). Reads of one definition go through the
 * cache-aside cache; every write goes through {@link Changes}.
 */
final class DefinitionsApi implements AdminApi {
  static final Set<String> ROUTE_FIELDS = Set.of("id", "uri", "order", "predicates", "filters", "metadata");
  static final String MATCH_ADDRESS = "junction.gateway.match";

  private final Vertx vertx;
  private final Pool pool;
  private final Kind kind;
  private final Changes changes;
  private final CacheAside<JsonObject> cache;
  private final Audit audit;

  DefinitionsApi(Vertx vertx, Pool pool, Kind kind, Changes changes, CacheAside<JsonObject> cache, Audit audit) {
    this.vertx = vertx;
    this.pool = pool;
    this.kind = kind;
    this.changes = changes;
    this.cache = cache;
    this.audit = audit;
  }

  @Override
  public Map<String, Handler<RoutingContext>> operations() {
    String one = kind == Kind.ROUTE ? "Route" : "Service";
    String many = one + "s";
    Map<String, Handler<RoutingContext>> ops = new HashMap<>();
    ops.put("list" + many, ApiReplies.handler("routes", this::list));
    ops.put("create" + one, ApiReplies.handler("routes", this::create));
    ops.put("get" + one, ApiReplies.handler("routes", this::get));
    ops.put("replace" + one, ApiReplies.handler("routes", ctx -> update(ctx, false)));
    ops.put("patch" + one, ApiReplies.handler("routes", ctx -> update(ctx, true)));
    ops.put("delete" + one, ApiReplies.handler("routes", this::delete));
    ops.put("batch" + many, ApiReplies.handler("routes", this::batch));
    ops.put("validate" + many, ApiReplies.handler("routes", this::validate));
    ops.put("list" + one + "Revisions", ApiReplies.handler("routes", this::history));
    ops.put("rollback" + many, ApiReplies.handler("routes", this::rollback));
    if (kind == Kind.ROUTE) {
      ops.put("testRoute", ApiReplies.handler("routes", this::test));
    }
    return ops;
  }

  // ---- reading

  /** One definition: stored (through the cache), else the config's, else 404. */
  Future<JsonObject> find(String id) {
    return cache.get(id, () -> Store.get(pool, kind, id, false).map(item -> item == null ? null : item.toJson()))
      .compose(stored -> stored != null ? Future.succeededFuture(stored) : changes.config().map(config -> {
        JsonObject definition = config.of(kind).get(id);
        if (definition == null) {
          throw ApiProblem.notFound(kind.noun + " " + id);
        }
        return configItem(id, definition);
      }));
  }

  private JsonObject configItem(String id, JsonObject definition) {
    return new JsonObject().put("id", id).put("version", 0).put("source", "config").putNull("updatedAt").putNull("updatedBy")
      .put("definition", definition);
  }

  private Future<ApiReplies.Reply> get(RoutingContext ctx) {
    return find(ctx.pathParam("id")).map(item -> ApiReplies.Reply.ok(item).withEtag(item.getLong("version")));
  }

  private Future<ApiReplies.Reply> list(RoutingContext ctx) {
    int limit = ApiReplies.limit(ctx);
    String cursor = ctx.queryParams().get("cursor");
    String after = cursor == null ? null : decodeCursor(cursor);
    String source = ctx.queryParams().get("source");
    Store.Filter filter = new Store.Filter(ctx.queryParams().get("idPrefix"), ctx.queryParams().get("predicate"), ctx.queryParams().get("filter"));
    Future<List<Store.Item>> stored = "config".equals(source) ? Future.succeededFuture(List.of()) : Store.page(pool, kind, filter, after, limit);
    return stored.compose(items -> changes.config().map(config -> {
      TreeMap<String, JsonObject> merged = new TreeMap<>();
      if (!"api".equals(source)) {
        config.of(kind).forEach((id, definition) -> {
          if ((after == null || id.compareTo(after) > 0) && matches(id, definition, filter)) {
            merged.put(id, configItem(id, definition));
          }
        });
      }
      items.forEach(item -> merged.put(item.id(), item.toJson())); // a stored override replaces the config entry
      JsonArray page = new JsonArray();
      String last = null;
      for (JsonObject item : merged.values()) {
        if (page.size() == limit) {
          break;
        }
        // stored items past the SQL page may exist: stop where the stored page ended
        if (items.size() > limit && item.getString("id").compareTo(items.get(limit - 1).id()) > 0) {
          break;
        }
        page.add(item);
        last = item.getString("id");
      }
      boolean more = last != null && (merged.lastKey().compareTo(last) > 0 || items.size() > limit);
      return ApiReplies.Reply.ok(new JsonObject().put("items", page).put("nextCursor", more ? encodeCursor(last) : null));
    }));
  }

  private boolean matches(String id, JsonObject definition, Store.Filter filter) {
    if (filter.idPrefix() != null && !id.startsWith(filter.idPrefix())) {
      return false;
    }
    return named(definition.getJsonArray("predicates"), filter.predicate()) && named(definition.getJsonArray("filters"), filter.filter());
  }

  private static boolean named(JsonArray items, String name) {
    if (name == null) {
      return true;
    }
    if (items == null) {
      return false;
    }
    return items.stream().anyMatch(i -> i instanceof JsonObject o && name.equals(o.getString("name")));
  }

  static String encodeCursor(String key) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(key.getBytes(StandardCharsets.UTF_8));
  }

  static String decodeCursor(String cursor) {
    try {
      return new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw ApiProblem.invalid("query", "cursor", "is not a cursor returned by this API");
    }
  }

  // ---- writing

  /** The definition to store from a request body: routes keep the id inside, services do not. */
  private JsonObject definitionOf(JsonObject body, String id) {
    JsonObject definition = body.copy();
    if (kind == Kind.ROUTE) {
      definition.put("id", id);
    } else {
      definition.remove("id");
    }
    return definition;
  }

  private void guardConfig(Changes.State state, String id, boolean creating) {
    if (state.config().of(kind).containsKey(id) && !state.config().apiOverrides()) {
      throw Refusals.readOnly(kind, id);
    }
    if (!creating && !state.of(kind).containsKey(id)) {
      throw state.config().of(kind).containsKey(id)
        ? ApiProblem.conflict(kind.noun + " " + id + " comes from the configuration; create it with POST to override it", null)
        : ApiProblem.notFound(kind.noun + " " + id);
    }
  }

  private Changes.Fields bodyFields() {
    return (k, id, field) -> field;
  }

  private Future<ApiReplies.Reply> create(RoutingContext ctx) {
    JsonObject body = ctx.body().asJsonObject();
    String id = body.getString("id");
    JsonObject definition = definitionOf(body, id);
    return changes.apply(Audit.actor(ctx), Audit.traceId(), state -> {
      guardConfig(state, id, true);
      if (state.of(kind).containsKey(id)) {
        throw ApiProblem.conflict(kind.noun + " " + id + " exists", null);
      }
      return List.of(new Changes.Change(kind, id, "create", definition, "created"));
    }, bodyFields(), false).map(written -> {
      Store.Item item = written.get(0).item();
      audit.record(ctx, "routes." + kind.noun + ".create", id, "success", new JsonObject().put("version", item.version()));
      return new ApiReplies.Reply(201, item.toJson(), item.version(), kind.location(id));
    }).onFailure(err -> refused(ctx, "create", id, err));
  }

  private Future<ApiReplies.Reply> update(RoutingContext ctx, boolean patch) {
    String id = ctx.pathParam("id");
    long expected = ApiReplies.ifMatch(ctx, true);
    JsonObject body = ctx.body().asJsonObject();
    if (!patch && body.getValue("id") != null && !id.equals(body.getValue("id"))) {
      throw ApiProblem.invalid("body", "id", "is '" + body.getValue("id") + "' but the URL names " + id);
    }
    return changes.apply(Audit.actor(ctx), Audit.traceId(), state -> {
      guardConfig(state, id, false);
      Store.Item current = state.of(kind).get(id);
      if (current.version() != expected) {
        throw Refusals.stale(kind, id, current.version(), expected);
      }
      JsonObject definition = patch ? mergePatch(current.definition(), body, id) : definitionOf(body, id);
      return List.of(new Changes.Change(kind, id, "update", definition, "updated"));
    }, bodyFields(), false).map(written -> {
      Store.Item item = written.get(0).item();
      audit.record(ctx, "routes." + kind.noun + (patch ? ".patch" : ".update"), id, "success", new JsonObject().put("version", item.version()));
      return ApiReplies.Reply.ok(item.toJson()).withEtag(item.version());
    }).onFailure(err -> refused(ctx, patch ? "patch" : "update", id, err));
  }

  /** RFC 7396 on a stored definition: the id cannot change (given, it must be the URL's). */
  private JsonObject mergePatch(JsonObject target, JsonObject patch, String id) {
    Object given = patch.getValue("id");
    if (given != null && !id.equals(given)) {
      throw ApiProblem.invalid("body", "id", "cannot be changed (the URL names " + id + ")");
    }
    JsonObject out = merge(target, patch);
    if (kind == Kind.ROUTE) {
      out.put("id", id);
    } else {
      out.remove("id");
    }
    return out;
  }

  /**
   * JSON Merge Patch (RFC 7396): null removes the key, an object merges into the target's object (into an empty
   * one when the target has none there, so nulls inside it remove nothing and are dropped), anything else — arrays
   * included — replaces.
   */
  static JsonObject merge(JsonObject target, JsonObject patch) {
    JsonObject out = target == null ? new JsonObject() : target.copy();
    for (String key : patch.fieldNames()) {
      Object value = patch.getValue(key);
      if (value == null) {
        out.remove(key);
      } else if (value instanceof JsonObject o) {
        out.put(key, merge(out.getValue(key) instanceof JsonObject existing ? existing : null, o));
      } else {
        out.put(key, value);
      }
    }
    return out;
  }

  private Future<ApiReplies.Reply> delete(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    long expected = ApiReplies.ifMatch(ctx, true);
    return changes.apply(Audit.actor(ctx), Audit.traceId(), state -> {
      guardConfig(state, id, false);
      Store.Item current = state.of(kind).get(id);
      if (current.version() != expected) {
        throw Refusals.stale(kind, id, current.version(), expected);
      }
      return List.of(new Changes.Change(kind, id, "delete", null, "deleted"));
    }, bodyFields(), false).map(written -> {
      audit.record(ctx, "routes." + kind.noun + ".delete", id, "success", new JsonObject().put("revision", written.get(0).revision()));
      return new ApiReplies.Reply(204, null, 0, null);
    }).onFailure(err -> refused(ctx, "delete", id, err));
  }

  /** Refusals of writes are audited too (who tried to change what, and why not). */
  private void refused(RoutingContext ctx, String verb, String target, Throwable err) {
    if (err instanceof ApiProblem p && p.status() != 503) {
      audit.record(ctx, "routes." + kind.noun + "." + verb, target, "failure", new JsonObject().put("status", p.status()).put("error", p.code()));
    }
  }

  /** Many changes, all or nothing: 400 for bad or duplicate entries, 409 naming every id whose version is not current. */
  private Future<ApiReplies.Reply> batch(RoutingContext ctx) {
    JsonArray list = ctx.body().asJsonObject().getJsonArray("changes");
    List<String> ids = new ArrayList<>();
    JsonArray shape = new JsonArray();
    for (int i = 0; i < list.size(); i++) {
      JsonObject change = list.getJsonObject(i);
      String op = change.getString("op");
      JsonObject definition = change.getJsonObject("definition");
      String id = change.getString("id", definition == null ? null : definition.getString("id"));
      ids.add(id);
      String at = "changes[" + i + "]";
      if (id == null) {
        shape.add(ApiProblem.detail("body", at + ".id", "required", "an id is required (or definition.id)"));
      }
      if (!"delete".equals(op) && definition == null) {
        shape.add(ApiProblem.detail("body", at + ".definition", "required", op + " needs a definition"));
      }
      if (!"create".equals(op) && change.getValue("version") == null) {
        shape.add(ApiProblem.detail("body", at + ".version", "required", op + " needs the version it changes"));
      }
      if (definition != null && kind == Kind.ROUTE && definition.getString("id") != null && id != null && !id.equals(definition.getString("id"))) {
        shape.add(ApiProblem.detail("body", at + ".definition.id", "value", "is '" + definition.getString("id") + "' but the change names " + id));
      }
    }
    if (!shape.isEmpty()) {
      throw ApiProblem.invalid("invalid batch: " + shape.getJsonObject(0).getString("field") + ": " + shape.getJsonObject(0).getString("reason"), shape);
    }
    Changes.noDuplicates(ids, (i, id) -> "changes[" + i + "].id");
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < ids.size(); i++) {
      index.put(ids.get(i), i);
    }
    return changes.apply(Audit.actor(ctx), Audit.traceId(), state -> {
      JsonArray conflicts = new JsonArray();
      List<String> conflicting = new ArrayList<>();
      List<Changes.Change> planned = new ArrayList<>();
      for (int i = 0; i < list.size(); i++) {
        JsonObject change = list.getJsonObject(i);
        String op = change.getString("op");
        String id = ids.get(i);
        Store.Item current = state.of(kind).get(id);
        String reason = null;
        if (state.config().of(kind).containsKey(id) && !state.config().apiOverrides()) {
          reason = "comes from the configuration file and is read-only through the API";
        } else if ("create".equals(op) && current != null) {
          reason = "exists (version " + current.version() + ")";
        } else if (!"create".equals(op) && current == null) {
          reason = "does not exist";
        } else if (!"create".equals(op) && current.version() != change.getLong("version")) {
          reason = "is at version " + current.version() + ", not " + change.getLong("version");
        }
        if (reason != null) {
          conflicting.add(id);
          conflicts.add(ApiProblem.detail("body", "changes[" + i + "]", "value", kind.noun + " " + id + " " + reason));
          continue;
        }
        JsonObject definition = change.getJsonObject("definition");
        planned.add(switch (op) {
          case "create" -> new Changes.Change(kind, id, "create", definitionOf(definition, id), "created");
          case "update" -> new Changes.Change(kind, id, "update", definitionOf(definition, id), "updated");
          default -> new Changes.Change(kind, id, "delete", null, "deleted");
        });
      }
      if (!conflicting.isEmpty()) {
        throw ApiProblem.conflict("batch refused, nothing changed: conflicting " + kind.plural + " " + String.join(", ", conflicting), conflicts);
      }
      return planned;
    }, (k, id, field) -> "changes[" + index.getOrDefault(id, 0) + "].definition" + (field.isEmpty() ? "" : field.startsWith("[") ? field : "." + field), false)
      .map(written -> {
        JsonArray results = new JsonArray();
        written.forEach(w -> results.add(w.toJson()));
        audit.record(ctx, "routes." + kind.noun + ".batch", String.join(",", ids), "success", new JsonObject().put("changes", written.size()));
        return ApiReplies.Reply.ok(new JsonObject().put("results", results));
      }).onFailure(err -> refused(ctx, "batch", String.join(",", ids), err));
  }

  /** Dry run: would these definitions (created or replacing the stored ones) be accepted? Always 200 with the problems. */
  private Future<ApiReplies.Reply> validate(RoutingContext ctx) {
    JsonArray list = ctx.body().asJsonObject().getJsonArray(kind.plural);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      ids.add(list.getJsonObject(i).getString("id"));
    }
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < ids.size(); i++) {
      index.put(ids.get(i), i);
    }
    JsonArray duplicates = new JsonArray();
    try {
      Changes.noDuplicates(ids, (i, id) -> kind.plural + "[" + i + "].id");
    } catch (ApiProblem p) {
      duplicates = p.details();
    }
    if (!duplicates.isEmpty()) {
      return Future.succeededFuture(ApiReplies.Reply.ok(new JsonObject().put("valid", false).put("problems", duplicates)));
    }
    return changes.apply(Audit.actor(ctx), Audit.traceId(), state -> {
      List<Changes.Change> planned = new ArrayList<>();
      for (int i = 0; i < list.size(); i++) {
        String id = ids.get(i);
        planned.add(new Changes.Change(kind, id, state.of(kind).containsKey(id) ? "update" : "create", definitionOf(list.getJsonObject(i), id), "validated"));
      }
      return planned;
    }, (k, id, field) -> kind.plural + "[" + index.getOrDefault(id, 0) + "]" + (field.isEmpty() ? "" : field.startsWith("[") ? field : "." + field), true)
      .map(written -> ApiReplies.Reply.ok(new JsonObject().put("valid", true).put("problems", new JsonArray())))
      .recover(err -> err instanceof ApiProblem p && (p.status() == 400 || p.status() == 409)
        ? Future.succeededFuture(ApiReplies.Reply.ok(new JsonObject().put("valid", false).put("problems", p.details())))
        : Future.failedFuture(err));
  }

  // ---- history

  private Future<ApiReplies.Reply> history(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    int limit = ApiReplies.limit(ctx);
    String cursor = ctx.queryParams().get("cursor");
    Long before = cursor == null ? null : revisionCursor(cursor);
    return Store.history(pool, kind, id, before, limit).map(revisions -> {
      JsonArray items = new JsonArray();
      revisions.stream().limit(limit).forEach(r -> items.add(r.toJson()));
      String next = revisions.size() > limit ? encodeCursor(String.valueOf(revisions.get(limit - 1).revision())) : null;
      return ApiReplies.Reply.ok(new JsonObject().put("items", items).put("nextCursor", next));
    });
  }

  static Long revisionCursor(String cursor) {
    try {
      return Long.parseLong(decodeCursor(cursor));
    } catch (NumberFormatException e) {
      throw ApiProblem.invalid("query", "cursor", "is not a cursor returned by this API");
    }
  }

  /** Back to the state at a revision or a time, for one definition or the whole table, written as new revisions. */
  private Future<ApiReplies.Reply> rollback(RoutingContext ctx) {
    JsonObject body = ctx.body().asJsonObject();
    String id = body.getString("id");
    Long revision = body.getLong("revision");
    String at = body.getString("at");
    if ((revision == null) == (at == null)) {
      throw ApiProblem.invalid("body", "revision", "give exactly one of revision and at");
    }
    Future<Long> target;
    if (revision != null) {
      target = Future.succeededFuture(revision);
    } else {
      OffsetDateTime time;
      try {
        time = OffsetDateTime.parse(at);
      } catch (DateTimeParseException e) {
        throw ApiProblem.invalid("body", "at", "is not an RFC 3339 date-time");
      }
      target = Store.revisionAt(pool, time);
    }
    return target.compose(rev -> Store.asOf(pool, kind, rev, id).compose(past -> changes.apply(Audit.actor(ctx), Audit.traceId(), state -> {
      List<Changes.Change> planned = new ArrayList<>();
      Map<String, Store.Item> now = state.of(kind);
      Set<String> ids = new java.util.TreeSet<>(past.keySet());
      if (id == null) {
        ids.addAll(now.keySet());
      } else {
        ids.add(id);
        if (!now.containsKey(id) && !past.containsKey(id)) {
          throw ApiProblem.notFound(kind.noun + " " + id + " (neither now nor at revision " + rev + ")");
        }
      }
      for (String each : ids) {
        JsonObject then = past.get(each);
        Store.Item current = now.get(each);
        if (then == null && current != null) {
          planned.add(new Changes.Change(kind, each, "rollback", null, "rolledback"));
        } else if (then != null && (current == null || !then.equals(current.definition()))) {
          if (state.config().of(kind).containsKey(each) && !state.config().apiOverrides()) {
            throw Refusals.readOnly(kind, each);
          }
          planned.add(new Changes.Change(kind, each, "rollback", then, "rolledback"));
        }
      }
      return planned;
    }, (k, each, field) -> kind.noun + " '" + each + "' (as of revision " + rev + ")" + (field.isEmpty() ? "" : " " + field), false)
      .map(written -> {
        JsonArray results = new JsonArray();
        written.forEach(w -> results.add(w.toJson()));
        audit.record(ctx, "routes." + kind.noun + ".rollback", id == null ? kind.plural : id, "success",
          new JsonObject().put("toRevision", rev).put("changed", written.size()));
        return ApiReplies.Reply.ok(new JsonObject().put("toRevision", rev).put("results", results));
      }))).onFailure(err -> refused(ctx, "rollback", id == null ? kind.plural : id, err));
  }

  // ---- match test

  private Future<ApiReplies.Reply> test(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    JsonObject request = ctx.body().asJsonObject();
    return find(id).compose(item -> vertx.eventBus().<JsonObject>request(MATCH_ADDRESS, request, new DeliveryOptions().setSendTimeout(5_000))
      .recover(err -> Future.failedFuture(Changes.fromBus(err, "the gateway did not answer")))
      .map(reply -> {
        JsonObject answer = reply.body();
        answer.put("matchesThisRoute", id.equals(answer.getString("routeId")));
        return ApiReplies.Reply.ok(answer);
      }));
  }
}
