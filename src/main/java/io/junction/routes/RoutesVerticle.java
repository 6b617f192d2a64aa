package io.junction.routes;

import io.junction.cache.CacheAside;
import io.junction.cache.CacheSpec;
import io.junction.cache.Caches;
import io.junction.cache.Codec;
import io.junction.http.AdminApi;
import io.junction.storage.Storage;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Routes module: routes and services as managed data in Postgres, with revisions, rollback and backups, and
 * their admin API. Bus face:
 * <ul>
 *   <li>{@code junction.routes.list} → every stored route; {@code junction.routes.get} ({id}) → one (cached), or 404;</li>
 *   <li>{@code junction.routes.stored} → {@code {routes: [definition], services: {name: definition}, revision}}: what the
 *       gateway merges into its route table;</li>
 *   <li>{@code junction.routes.changed} (publish, {revision}) after every committed change.</li>
 * </ul>
 */
public class RoutesVerticle extends VerticleBase {
  public static final String LIST_ADDRESS = "junction.routes.list";
  public static final String GET_ADDRESS = "junction.routes.get";
  public static final String STORED_ADDRESS = "junction.routes.stored";
  public static final String CHANGED_ADDRESS = "junction.routes.changed";
  /** Cached definitions live this long on a node unless a write drops them sooner (every node hears of every write). */
  static final CacheSpec CACHE = CacheSpec.of(10_000, Duration.ofMinutes(5));

  private final Storage storage;
  private final Caches caches;
  private final JsonObject config;
  private final MeterRegistry meters;
  private List<AdminApi> apis = List.of();
  private ScheduledBackups scheduled;

  /**
   * @param config the whole configuration ({@code backup.*} is read here; {@code routes.*} by the gateway, which
   *               tells this module about config routes and overrides on {@code junction.gateway.config})
   */
  public RoutesVerticle(Storage storage, Caches caches, JsonObject config, MeterRegistry meters) {
    this.storage = storage;
    this.caches = caches;
    this.config = config;
    this.meters = meters;
  }

  /** The admin API handlers of this module (available once it has started). */
  public List<AdminApi> adminApis() {
    return apis;
  }

  @Override
  public Future<?> start() {
    Map<Kind, CacheAside<JsonObject>> byKind = new EnumMap<>(Kind.class);
    for (Kind kind : Kind.values()) {
      byKind.put(kind, caches.cache(kind.plural, CACHE, Codec.JSON_OBJECT));
    }
    Audit audit = new Audit(vertx);
    Changes changes = new Changes(vertx, storage.pool(), byKind, meters);
    DefinitionsApi routes = new DefinitionsApi(vertx, storage.pool(), Kind.ROUTE, changes, byKind.get(Kind.ROUTE), audit);
    DefinitionsApi services = new DefinitionsApi(vertx, storage.pool(), Kind.SERVICE, changes, byKind.get(Kind.SERVICE), audit);
    Backups backups = new Backups(storage.pool());
    apis = List.of(routes, services, new RevisionsApi(storage.pool()), new BackupApi(vertx, backups, changes, audit));
    try {
      scheduled = new ScheduledBackups(vertx, backups, config.getJsonObject("backup"), Clock.systemUTC());
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    scheduled.start();

    vertx.eventBus().<JsonObject>consumer(LIST_ADDRESS, msg -> Store.all(storage.pool(), Kind.ROUTE)
      .onSuccess(all -> {
        JsonArray items = new JsonArray();
        all.values().forEach(item -> items.add(item.toJson()));
        msg.reply(new JsonObject().put("items", items));
      })
      .onFailure(err -> msg.fail(503, "route store unavailable: " + err.getMessage())));
    vertx.eventBus().<JsonObject>consumer(GET_ADDRESS, msg -> {
      Object value = msg.body() == null ? null : msg.body().getValue("id");
      if (!(value instanceof String id) || id.isBlank()) {
        msg.fail(400, "id is required (a non-empty string)");
        return;
      }
      byKind.get(Kind.ROUTE).get(id, () -> Store.get(storage.pool(), Kind.ROUTE, id, false).map(item -> item == null ? null : item.toJson()))
        .onSuccess(item -> {
          if (item == null) {
            msg.fail(404, "no route " + id);
          } else {
            msg.reply(item);
          }
        })
        .onFailure(err -> msg.fail(503, "route store unavailable: " + err.getMessage()));
    });
    vertx.eventBus().<JsonObject>consumer(STORED_ADDRESS, msg -> storage.pool().withTransaction(tx -> Store.head(tx)
        .compose(head -> Store.all(tx, Kind.ROUTE).compose(r -> Store.all(tx, Kind.SERVICE).map(s -> {
          JsonArray routeList = new JsonArray();
          r.values().forEach(item -> routeList.add(item.definition()));
          JsonObject serviceMap = new JsonObject();
          s.values().forEach(item -> serviceMap.put(item.id(), item.definition()));
          return new JsonObject().put("routes", routeList).put("services", serviceMap).put("revision", head);
        }))))
      .onSuccess(msg::reply)
      .onFailure(err -> msg.fail(503, "route store unavailable: " + err.getMessage())));
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    if (scheduled != null) {
      scheduled.stop();
    }
    return Future.succeededFuture();
  }
}
