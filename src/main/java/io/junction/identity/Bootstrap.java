package io.junction.identity;

import io.junction.http.ApiProblem;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.UUID;

/**
 * First start: with no user at all, creates the admin from {@code identity.bootstrapAdmin}. Without a configured
 * password one is generated and printed once to the log — there is never a fixed default password. Nodes
 * starting together create one admin: the check and insert run under an advisory lock.
 */
final class Bootstrap {
  private static final Logger LOG = LoggerFactory.getLogger(Bootstrap.class);

  private Bootstrap() {
  }

  static Future<Void> run(IdentityCore core) {
    IdentitySettings s = core.settings;
    boolean generated = s.adminPassword().isBlank();
    String password = generated ? Secrets.random("", 18) : s.adminPassword();
    if (!generated) {
      try {
        core.checkPolicy("identity.bootstrapAdmin.password", password, s.adminEmail());
      } catch (ApiProblem p) {
        return Future.failedFuture(new IllegalArgumentException(p.getMessage()));
      }
    }
    return Users.any(core.pool).compose(any -> any ? Future.succeededFuture() : core.hash(password)
      .compose(hash -> core.pool.withTransaction(tx -> tx.query("SELECT pg_advisory_xact_lock(7312)").execute()
        .compose(v -> Users.any(tx))
        .compose(exists -> {
          if (exists) {
            return Future.succeededFuture(false);
          }
          UUID id = UUID.randomUUID();
          return Users.insert(tx, id, s.adminEmail(), hash, "active")
            .compose(u -> Users.addRoles(tx, id, List.of("admin")))
            .compose(v -> core.event(tx, "user.created", id.toString(),
              new JsonObject().put("id", id.toString()).put("email", s.adminEmail()).put("roles", List.of("admin")), "junction"))
            .map(v -> true);
        })))
      .map(created -> {
        if (created) {
          if (generated) {
            LOG.warn("identity: created the first admin {} with generated password: {}  (shown once; change it with POST /api/v1/users/me/password)",
              s.adminEmail(), password);
          } else {
            LOG.info("identity: created the first admin {} from identity.bootstrapAdmin", s.adminEmail());
          }
          core.audit.record(null, "junction", "identity.bootstrap", s.adminEmail(), "success", null);
        }
        return null;
      }));
  }
}
