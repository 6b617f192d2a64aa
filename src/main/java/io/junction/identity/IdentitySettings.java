package io.junction.identity;

import io.junction.config.Durations;
import io.vertx.core.json.JsonObject;

import java.time.Duration;

/** The {@code identity} config section, read once at start. */
record IdentitySettings(String adminEmail, String adminPassword, String issuer, String audience, String algorithm,
                        Duration accessTtl, Duration refreshTtl, Duration clockSkew, Duration rotateAfter,
                        String privateKeyPem, String publicKeyPem, int passwordMinLength, Passwords.Cost argon2,
                        int maxFailuresPerAccount, int maxFailuresPerIp, Duration failureWindow) {

  static IdentitySettings from(JsonObject identity) {
    JsonObject admin = identity.getJsonObject("bootstrapAdmin", new JsonObject());
    JsonObject jwt = identity.getJsonObject("jwt", new JsonObject());
    JsonObject password = identity.getJsonObject("password", new JsonObject());
    JsonObject argon2 = password.getJsonObject("argon2", new JsonObject());
    JsonObject login = identity.getJsonObject("login", new JsonObject());
    return new IdentitySettings(
      admin.getString("email", "admin@junction.local"), admin.getString("password", ""),
      jwt.getString("issuer", "junction"), jwt.getString("audience", "junction"), jwt.getString("algorithm", "RS256"),
      Durations.parse(jwt.getValue("accessTokenTtl", "15m")), Durations.parse(jwt.getValue("refreshTokenTtl", "7d")),
      Durations.parse(jwt.getValue("clockSkew", "30s")), Durations.parse(jwt.getValue("rotateAfter", "30d")),
      jwt.getString("privateKey", ""), jwt.getString("publicKey", ""),
      password.getInteger("minLength", 12),
      new Passwords.Cost(argon2.getInteger("memoryKiB", 19456), argon2.getInteger("iterations", 2), argon2.getInteger("parallelism", 1)),
      login.getInteger("maxFailuresPerAccount", 5), login.getInteger("maxFailuresPerIp", 50),
      Durations.parse(login.getValue("failureWindow", "15m")));
  }
}
