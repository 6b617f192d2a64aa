package io.junction.routes;

import io.junction.http.ApiProblem;
import io.junction.cache.CacheAside;
import io.junction.events.EventEnvelope;
import io.junction.events.Outbox;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The one write path of the routes module, for every kind of change (create, update, delete, batch, rollback,
 * restore): in one transaction under the module's write lock, read both tables, let the caller plan its changes
 * against them (404/409/412 are decided here, on locked data), check the resulting routes and services with the
 * gateway's own builder (merged with the config, exactly as the route table would be built), then write each
 * change with its revision and its outbox event. After the commit: cache invalidation, the bus announcement that
 * the gateway debounces into one rebuild, and metrics. A change that does not pass writes nothing.
 */
final class Changes {
  static final String CHECK_ADDRESS = "junction.gateway.check";
  static final String CONFIG_ADDRESS = "junction.gateway.config";

  /** What the plan sees: the stored tables (locked) and the config's own definitions. */
  record State(Map<Kind, Map<String, Store.Item>> stored, ConfigView config) {
    Map<String, Store.Item> of(Kind kind) {
      return stored.get(kind);
    }
  }

  /** The config's routes and services (expanded), and whether the API may override them. */
  record ConfigView(Map<String, JsonObject> routes, Map<String, JsonObject> services, boolean apiOverrides) {
    Map<String, JsonObject> of(Kind kind) {
      return kind == Kind.ROUTE ? routes : services;
    }

    static ConfigView of(JsonObject json) {
      Map<String, JsonObject> routes = new LinkedHashMap<>();
      json.getJsonArray("routes", new JsonArray()).forEach(r -> {
        JsonObject route = (JsonObject) r;
        if (route.getString("id") != null) {
          routes.put(route.getString("id"), route);
        }
      });
      Map<String, JsonObject> services = new LinkedHashMap<>();
      JsonObject s = json.getJsonObject("services", new JsonObject());
      s.fieldNames().forEach(name -> services.put(name, s.getValue(name) instanceof JsonObject o ? o : new JsonObject()));
      return new ConfigView(routes, services, json.getBoolean("apiOverrides", false));
    }
  }

  /**
   * One planned change. {@code definition} is the new definition (null for a delete); {@code operation} is the
   * revision's (create, update, delete, rollback, restore); {@code event} the event type's verb.
   */
  record Change(Kind kind, String id, String operation, JsonObject definition, String event) {
  }

  /** One written change: the item before and after it (null when absent) and its revision (0 in a dry run). */
  record Written(Change change, Store.Item before, Store.Item item, long revision) {
    String difference() {
      return before == null ? "added" : item == null ? "removed" : "changed";
    }

    JsonObject toJson() {
      JsonObject json = new JsonObject().put("kind", change.kind().noun).put("id", change.id()).put("operation", change.operation())
        .put("revision", revision);
      return item == null ? json.putNull("version").putNull("item") : json.put("version", item.version()).put("item", item.toJson());
    }
  }

  /** Maps a gateway problem ({kind, id, field}) about a changed definition to the request field it came from. */
  interface Fields {
    String field(Kind kind, String id, String field);
  }

  private final Vertx vertx;
  private final Pool pool;
  private final Map<Kind, CacheAside<JsonObject>> caches;
  private final MeterRegistry meters;

  Changes(Vertx vertx, Pool pool, Map<Kind, CacheAside<JsonObject>> caches, MeterRegistry meters) {
    this.vertx = vertx;
    this.pool = pool;
    this.caches = caches;
    this.meters = meters;
  }

  Future<ConfigView> config() {
    return vertx.eventBus().<JsonObject>request(CONFIG_ADDRESS, new JsonObject(), new DeliveryOptions().setSendTimeout(5_000))
      .map(reply -> ConfigView.of(reply.body()))
      .recover(err -> Future.failedFuture(ApiProblem.unavailable("the gateway did not answer: " + err.getMessage())));
  }

  /**
   * A step that runs in the change's transaction after its writes, such as a restore's identity part; it answers
   * what it changed. Its failure rolls the whole change back.
   */
  interface Also {
    Future<JsonArray> run(SqlClient tx);
  }

  /** What a change wrote, and what its {@link Also} step answered (empty without one). */
  record Outcome(List<Written> written, JsonArray also) {
  }

  /** Ends a dry run's transaction with a rollback after every statement ran, carrying what it would have done. */
  private static final class DryRun extends RuntimeException {
    final transient Outcome outcome;

    DryRun(Outcome outcome) {
      super("dry run", null, false, false);
      this.outcome = outcome;
    }
  }

  /**
   * Plans, checks and writes; completes after the commit with what was written.
   *
   * @param plan the changes to make, given the locked state; throws a ApiProblem to refuse
   * @param fields how to name a problem of a changed definition in the request
   * @param dryRun check only: plan and check, write nothing
   */
  Future<List<Written>> apply(String actor, String traceId, Function<State, List<Change>> plan, Fields fields, boolean dryRun) {
    return apply(actor, traceId, plan, fields, dryRun, null).map(Outcome::written);
  }

  /**
   * As above, with a further step in the same transaction. In a dry run the routes and services are only checked,
   * while the step runs for real and is then rolled back, so the database checks it too.
   */
  Future<Outcome> apply(String actor, String traceId, Function<State, List<Change>> plan, Fields fields, boolean dryRun, Also also) {
    return config().compose(config -> pool.withTransaction(tx -> Store.lock(tx)
        .compose(v -> Store.all(tx, Kind.ROUTE))
        .compose(routes -> Store.all(tx, Kind.SERVICE).map(services -> {
          Map<Kind, Map<String, Store.Item>> stored = new EnumMap<>(Kind.class);
          stored.put(Kind.ROUTE, routes);
          stored.put(Kind.SERVICE, services);
          return new State(stored, config);
        }))
        .compose(state -> {
          List<Change> changes = plan.apply(state);
          return check(state, changes, fields).compose(expanded -> dryRun
            ? Future.succeededFuture(dryRunResult(state, changes, expanded))
            : write(tx, state, changes, expanded, actor, traceId));
        })
        .compose(written -> also == null ? Future.succeededFuture(new Outcome(written, new JsonArray()))
          : also.run(tx).map(more -> new Outcome(written, more)))
        .compose(outcome -> dryRun && also != null ? Future.<Outcome>failedFuture(new DryRun(outcome)) : Future.succeededFuture(outcome))))
      .recover(err -> err instanceof DryRun d ? Future.succeededFuture(d.outcome) : Future.failedFuture(err))
      .onSuccess(outcome -> {
        if (!dryRun && !outcome.written().isEmpty()) {
          afterCommit(outcome.written());
        }
      });
  }

  private static List<Written> dryRunResult(State state, List<Change> changes, Map<String, JsonObject> expanded) {
    List<Written> out = new ArrayList<>();
    for (Change c : changes) {
      Store.Item before = state.of(c.kind()).get(c.id());
      JsonObject definition = c.kind() == Kind.ROUTE && c.definition() != null ? expanded.getOrDefault(c.id(), c.definition()) : c.definition();
      Store.Item after = definition == null ? null
        : new Store.Item(c.id(), definition, before == null ? 1 : before.version() + 1, "api", null, null);
      out.add(new Written(c, before, after, 0));
    }
    return out;
  }

  /** Asks the gateway whether the tables after the changes build; returns the expanded route definitions by id. */
  private Future<Map<String, JsonObject>> check(State state, List<Change> changes, Fields fields) {
    Map<String, JsonObject> routes = new LinkedHashMap<>();
    state.of(Kind.ROUTE).forEach((id, item) -> routes.put(id, item.definition()));
    Map<String, JsonObject> services = new LinkedHashMap<>();
    state.of(Kind.SERVICE).forEach((id, item) -> services.put(id, item.definition()));
    for (Change c : changes) {
      Map<String, JsonObject> target = c.kind() == Kind.ROUTE ? routes : services;
      if (c.definition() == null) {
        target.remove(c.id());
      } else {
        target.put(c.id(), c.definition());
      }
    }
    JsonArray routeList = new JsonArray();
    routes.values().forEach(routeList::add);
    JsonObject body = new JsonObject().put("routes", routeList).put("services", new JsonObject(new LinkedHashMap<>(services)));
    return vertx.eventBus().<JsonObject>request(CHECK_ADDRESS, body, new DeliveryOptions().setSendTimeout(10_000))
      .recover(err -> Future.failedFuture(ApiProblem.unavailable("the gateway did not check the change: " + err.getMessage())))
      .compose(reply -> {
        JsonArray problems = reply.body().getJsonArray("problems", new JsonArray());
        if (!problems.isEmpty()) {
          return Future.failedFuture(refusal(problems, changes, fields));
        }
        Map<String, JsonObject> expanded = new LinkedHashMap<>();
        reply.body().getJsonArray("routes", new JsonArray()).forEach(r -> expanded.put(((JsonObject) r).getString("id"), (JsonObject) r));
        return Future.succeededFuture(expanded);
      });
  }

  /**
   * 400 naming the request's fields when a problem is in a definition this request writes; 409 when the change
   * is fine in itself but breaks something else (a service still used by a route).
   */
  static ApiProblem refusal(JsonArray problems, List<Change> changes, Fields fields) {
    JsonArray details = new JsonArray();
    boolean own = false;
    for (int i = 0; i < problems.size() && details.size() < 100; i++) {
      JsonObject p = problems.getJsonObject(i);
      Kind kind = "service".equals(p.getString("kind")) ? Kind.SERVICE : Kind.ROUTE;
      String id = p.getString("id");
      boolean changed = "api".equals(p.getString("source")) && changes.stream()
        .anyMatch(c -> c.kind() == kind && c.id().equals(id) && c.definition() != null);
      String field;
      if (changed) {
        own = true;
        field = fields.field(kind, id, p.getString("field", ""));
      } else {
        field = id == null ? p.getString("field", "") : kind.noun + " '" + id + "'" + (p.getString("field", "").isEmpty() ? "" : " " + p.getString("field"));
      }
      details.add(ApiProblem.detail("body", field, "value", p.getString("message", "")));
    }
    String first = details.getJsonObject(0).getString("field") + ": " + details.getJsonObject(0).getString("reason");
    String more = details.size() > 1 ? " (and " + (details.size() - 1) + " more)" : "";
    return own ? ApiProblem.invalid("invalid definition: " + first + more, details)
      : ApiProblem.conflict("the change would break other definitions: " + first + more, details);
  }

  private Future<List<Written>> write(SqlClient tx, State state, List<Change> changes, Map<String, JsonObject> expanded, String actor, String traceId) {
    List<Written> out = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (Change c : changes) {
      chain = chain.compose(v -> writeOne(tx, state, c, expanded, actor, traceId)).map(w -> {
        out.add(w);
        return null;
      });
    }
    return chain.map(v -> out);
  }

  private Future<Written> writeOne(SqlClient tx, State state, Change c, Map<String, JsonObject> expanded, String actor, String traceId) {
    boolean exists = state.of(c.kind()).containsKey(c.id());
    JsonObject definition = c.kind() == Kind.ROUTE && c.definition() != null ? expanded.getOrDefault(c.id(), c.definition()) : c.definition();
    Future<Store.Item> item;
    if (definition == null) {
      item = exists ? Store.delete(tx, c.kind(), c.id()).map(v -> (Store.Item) null) : Future.succeededFuture();
    } else {
      item = exists ? Store.update(tx, c.kind(), c.id(), definition, actor) : Store.insert(tx, c.kind(), c.id(), definition, actor);
    }
    return item.compose(after -> {
      long version = after != null ? after.version() : state.of(c.kind()).get(c.id()).version() + 1;
      return Store.revision(tx, c.kind(), c.id(), version, definition, c.operation(), actor).compose(revision -> {
        JsonObject data = new JsonObject().put("id", c.id()).put("revision", revision).put("version", version)
          .put("operation", c.operation()).put("definition", definition);
        return Outbox.append(tx, EventEnvelope.of(c.kind().noun + "." + c.event(), c.id(), data, traceId, actor))
          .map(v -> new Written(c, state.of(c.kind()).get(c.id()), after, revision));
      });
    });
  }

  private void afterCommit(List<Written> written) {
    for (Written w : written) {
      caches.get(w.change().kind()).invalidate(w.change().id());
      meters.counter("junction.routes.changes", "kind", w.change().kind().noun, "operation", w.change().operation()).increment();
    }
    // Every node's gateway reads the stored tables after routes.debounce and rebuilds once for all changes.
    vertx.eventBus().publish(RoutesVerticle.CHANGED_ADDRESS, new JsonObject().put("revision", written.get(written.size() - 1).revision()));
  }

  /** The failure code of a bus reply as an HTTP problem (for the match call). */
  static ApiProblem fromBus(Throwable err, String what) {
    if (err instanceof ReplyException r && r.failureCode() == 400) {
      return ApiProblem.invalid("body", "request.path", r.getMessage());
    }
    return err instanceof ApiProblem p ? p : ApiProblem.unavailable(what + ": " + err.getMessage());
  }

  /** Ids named twice in one request: 400 naming each. */
  static void noDuplicates(List<String> ids, BiFunction<Integer, String, String> field) {
    JsonArray details = new JsonArray();
    Set<String> seen = new java.util.HashSet<>();
    for (int i = 0; i < ids.size(); i++) {
      if (ids.get(i) != null && !seen.add(ids.get(i))) {
        details.add(ApiProblem.detail("body", field.apply(i, ids.get(i)), "uniqueItems", "duplicate id '" + ids.get(i) + "'"));
      }
    }
    if (!details.isEmpty()) {
      throw ApiProblem.invalid("duplicate ids: " + details.stream().map(d -> ((JsonObject) d).getString("reason")).toList(), details);
    }
  }
}
