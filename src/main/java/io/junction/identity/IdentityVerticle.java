package io.junction.identity;

import io.junction.config.ConfigParticipant;
import io.junction.http.AdminApi;
import io.junction.storage.Storage;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * Identity module: users, passwords, tokens, roles and permissions. Serves the admin API's identity operations
 * and the public /auth endpoints, and keeps every node's identity view current: the snapshot is answered on
 * {@code junction.identity.snapshot} and published on {@code junction.identity.changed} after each change and
 * every {@value #REPUBLISH_MS} ms. Also answers {@code junction.identity.permissions} ({roles} → {permissions}).
 */
public class IdentityVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(IdentityVerticle.class);
  public static final String PERMISSIONS_ADDRESS = "junction.identity.permissions";
  public static final String SNAPSHOT_ADDRESS = IdentityCore.SNAPSHOT_ADDRESS;
  public static final String CHANGED_ADDRESS = IdentityCore.CHANGED_ADDRESS;
  static final long REPUBLISH_MS = 30_000;
  private static final long ROTATION_CHECK_MS = 3_600_000;

  private final Storage storage;
  private final JsonObject config;
  private final MeterRegistry meters;
  private IdentityCore core;
  private ConfigParticipant participant;

  public IdentityVerticle(Storage storage, JsonObject identityConfig, MeterRegistry meters) {
    this.storage = storage;
    this.meters = meters;
    this.config = identityConfig == null ? new JsonObject() : identityConfig;
  }

  /** The admin API operations of this module (users, roles, permissions, API keys); available after start. */
  public List<AdminApi> adminApis() {
    return List.of(new UsersApi(core), new RolesApi(core));
  }

  /** The public listener's /auth operations and JWKS; available after start. */
  public AdminApi authApi() {
    return new AuthApi(core);
  }

  @Override
  public Future<?> start() {
    IdentitySettings settings;
    try {
      settings = IdentitySettings.from(config);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    core = new IdentityCore(vertx, storage.pool(), settings, meters);
    IdentityBackup.register(core); // after a restore (run by the routes module), broadcast the new snapshot
    vertx.eventBus().<JsonObject>consumer(PERMISSIONS_ADDRESS, msg -> {
      Object value = msg.body() == null ? null : msg.body().getValue("roles");
      if (!(value instanceof JsonArray roles) || roles.stream().anyMatch(r -> !(r instanceof String))) {
        msg.fail(400, "roles must be an array of role ids");
        return;
      }
      Roles.permissionsOf(storage.pool(), roles.stream().map(String.class::cast).toList())
        .onSuccess(list -> msg.reply(new JsonObject().put("permissions", new JsonArray(list))))
        .onFailure(err -> msg.fail(503, "identity store unavailable: " + err.getMessage()));
    });
    vertx.eventBus().consumer(SNAPSHOT_ADDRESS, msg -> core.snapshot()
      .onSuccess(msg::reply)
      .onFailure(err -> msg.fail(503, "identity store unavailable: " + err.getMessage())));
    // Another node may have rotated the signing key: sign with the newest one too.
    vertx.eventBus().<JsonObject>consumer(CHANGED_ADDRESS, msg -> {
      JsonArray keys = msg.body().getJsonArray("keys", new JsonArray());
      String current = core.keys.current() == null ? null : core.keys.current().kid();
      boolean known = keys.stream().anyMatch(k -> k instanceof JsonObject j && j.getString("kid", "").equals(current));
      if (!known || keys.size() != core.keys.jwks().size()) {
        core.keys.reload().onFailure(err -> LOG.warn("identity: could not reload signing keys: {}", err.getMessage()));
      }
    });
    return core.keys.load()
      .compose(v -> core.keys.rotateIfDue())
      .compose(v -> Bootstrap.run(core))
      .compose(v -> core.broadcast())
      .compose(v -> SigningKeyReload.join(core, config))
      .onSuccess(p -> {
        participant = p;
        vertx.setPeriodic(REPUBLISH_MS, id -> core.broadcast());
        vertx.setPeriodic(ROTATION_CHECK_MS, id -> core.keys.rotateIfDue()
          .onSuccess(rotated -> {
            if (rotated) {
              core.broadcast();
            }
          })
          .onFailure(err -> LOG.warn("identity: signing key rotation failed, will retry: {}", err.getMessage())));
      });
  }

  @Override
  public Future<?> stop() {
    return participant == null ? Future.succeededFuture() : participant.leave();
  }
}
