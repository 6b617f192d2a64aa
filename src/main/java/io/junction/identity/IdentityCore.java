package io.junction.identity;

import io.junction.http.ApiProblem;
import io.junction.audit.Auditor;
import io.junction.events.EventEnvelope;
import io.junction.events.Outbox;
import io.junction.observability.RequestContext;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.UUID;

/**
 * What the identity module's handlers share: the pool, settings, keys, password hashing (on worker threads),
 * audit, domain events (outbox, in the change's transaction) and the snapshot broadcast after every change.
 */
final class IdentityCore {
  private static final Logger LOG = LoggerFactory.getLogger(IdentityCore.class);
  static final String SNAPSHOT_ADDRESS = "junction.identity.snapshot";
  static final String CHANGED_ADDRESS = "junction.identity.changed";

  final Vertx vertx;
  final Pool pool;
  final IdentitySettings settings;
  final SigningKeys keys;
  final Passwords passwords;
  final Auditor audit;
  final LoginThrottle throttle;
  private final MeterRegistry meters;

  IdentityCore(Vertx vertx, Pool pool, IdentitySettings settings, MeterRegistry meters) {
    this.vertx = vertx;
    this.pool = pool;
    this.settings = settings;
    this.keys = new SigningKeys(vertx, pool, settings);
    this.passwords = new Passwords(settings.argon2(), settings.passwordMinLength());
    this.audit = new Auditor(vertx, "identity");
    this.throttle = new LoginThrottle(settings.maxFailuresPerAccount(), settings.maxFailuresPerIp(), settings.failureWindow());
    this.meters = meters;
  }

  /** Counts a login attempt: success, failure (wrong or unknown credentials, disabled account) or throttled. */
  void login(String outcome) {
    if (meters != null) {
      meters.counter("junction.identity.logins", "outcome", outcome).increment();
    }
  }

  Future<String> hash(String password) {
    return vertx.executeBlocking(() -> passwords.hash(password), false);
  }

  Future<Boolean> verify(String password, String hash) {
    return vertx.executeBlocking(() -> passwords.verify(password, hash), false);
  }

  /** A 400 naming {@code field} when the password breaks the policy. */
  void checkPolicy(String field, String password, String email) {
    List<String> problems = passwords.problems(password, email);
    if (!problems.isEmpty()) {
      JsonArray details = new JsonArray();
      problems.forEach(p -> details.add(ApiProblem.detail("body", field, p)));
      throw new ApiProblem(400, "invalid_request", field + " " + String.join("; ", problems), details);
    }
  }

  /** Writes a domain event in the caller's transaction. */
  Future<Void> event(SqlClient tx, String type, String subject, JsonObject data, String actorId) {
    RequestContext rc = RequestContext.current();
    return Outbox.append(tx, EventEnvelope.of(type, subject, data, rc == null ? null : rc.traceId(), actorId));
  }

  Future<JsonObject> snapshot() {
    return Snapshot.build(pool, keys, settings);
  }

  /** Tells every node (every IdentityView) the new state; called after a change has committed. */
  Future<Void> broadcast() {
    return snapshot().onSuccess(s -> vertx.eventBus().publish(CHANGED_ADDRESS, s))
      .onFailure(err -> LOG.error("identity: could not publish the identity snapshot: {}", err.getMessage()))
      .mapEmpty();
  }

  static UUID uuid(String value, String what) {
    try {
      return UUID.fromString(value);
    } catch (IllegalArgumentException | NullPointerException e) {
      throw ApiProblem.notFound(what);
    }
  }
}
