package io.junction.identity;

import io.junction.config.ConfigParticipant;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * The identity module's part in live configuration: it takes every new version of the {@code identity} section
 * and, when {@code identity.jwt.privateKey}/{@code publicKey} changed (a rotated Secret), signs new tokens with the
 * new pair and tells every node's identity view (the replaced public key stays in the JWKS until the tokens it
 * signed have expired, so nobody is logged out). A pair that is unusable or whose halves do not match is refused,
 * which rolls the whole version back. Other identity keys take effect at the next start (the config status lists
 * them as needing a restart).
 */
final class SigningKeyReload {
  private SigningKeyReload() {
  }

  static Future<ConfigParticipant> join(IdentityCore core, JsonObject identityConfig) {
    return ConfigParticipant.join(core.vertx, "identity", List.of("identity"), new JsonObject().put("identity", identityConfig),
      (sections, version) -> {
        JsonObject identity = sections.getJsonObject("identity", new JsonObject());
        JsonObject jwt = identity.getJsonObject("jwt", new JsonObject());
        return core.keys.useConfigured(jwt.getString("privateKey", ""), jwt.getString("publicKey", ""))
          .compose(changed -> changed ? core.broadcast() : Future.succeededFuture());
      });
  }
}
