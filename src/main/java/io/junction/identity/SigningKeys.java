package io.junction.identity;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The keys access tokens are signed with. Either one key pair from config ({@code identity.jwt.privateKey} and
 * {@code publicKey}, e.g. a mounted Secret), or keys generated into the database on first start and rotated
 * every {@code rotateAfter}. The newest key signs; a retired key stays published in the JWKS until every token
 * it signed has expired, so rotation never logs anybody out. Several nodes share the generated keys; creation
 * and rotation are serialised by an advisory lock. A configured pair can be replaced live ({@link #useConfigured});
 * the replaced public key is then kept in memory, published until its tokens have expired (each node keeps its own:
 * a node started after the change does not know the replaced key).
 */
final class SigningKeys {
  private static final Logger LOG = LoggerFactory.getLogger(SigningKeys.class);
  private static final long LOCK = 0x4a756e6374696f6eL; // "Junction"

  record Key(String kid, String algorithm, JsonObject publicJwk, String privatePem, Instant createdAt, Instant retiredAt) {
  }

  private final Vertx vertx;
  private final Pool pool;
  private final IdentitySettings settings;
  private volatile Key current;
  private volatile List<Key> keys = List.of();
  private volatile JWTAuth signer;
  /** The configured pair in force ("" = generated keys). */
  private volatile String configuredPrivate;
  private volatile String configuredPublic;
  /** Configured keys replaced while running: public halves only, retired at the change. */
  private volatile List<Key> replaced = List.of();

  SigningKeys(Vertx vertx, Pool pool, IdentitySettings settings) {
    this.vertx = vertx;
    this.pool = pool;
    this.settings = settings;
    this.configuredPrivate = settings.privateKeyPem();
    this.configuredPublic = settings.publicKeyPem();
  }

  /** Loads the keys; generates the first one when there is none (and no config key). */
  Future<Void> load() {
    if (!configuredPrivate.isBlank()) {
      return configured(configuredPrivate, configuredPublic).compose(key -> readStored().map(stored -> {
        useKey(key, stored);
        return null;
      }));
    }
    return generated().map(stored -> {
      install(stored);
      return null;
    });
  }

  /** The stored keys, after making the first one when none is active. */
  private Future<List<Key>> generated() {
    return readStored().compose(stored -> stored.stream().anyMatch(k -> k.retiredAt() == null)
      ? Future.succeededFuture(stored)
      : generate(false).compose(v -> readStored()));
  }

  /**
   * The configured pair changed ({@code identity.jwt.privateKey}/{@code publicKey}, e.g. a rotated Secret): the
   * new pair is checked and signs every token from now on; the replaced configured key stays in the JWKS until
   * the tokens it signed have expired. Blank keys: back to the generated keys. True when the signing key changed;
   * a pair that is not usable fails and changes nothing.
   */
  Future<Boolean> useConfigured(String privatePem, String publicPem) {
    String privateKey = privatePem == null ? "" : privatePem;
    String publicKey = publicPem == null ? "" : publicPem;
    if (privateKey.equals(configuredPrivate) && publicKey.equals(configuredPublic)) {
      return Future.succeededFuture(false);
    }
    Key before = current;
    boolean wasConfigured = !configuredPrivate.isBlank();
    Future<Void> switched = privateKey.isBlank()
      ? generated().map(stored -> {
        retire(before, wasConfigured);
        install(stored);
        return null;
      })
      : configured(privateKey, publicKey).compose(key -> readStored().map(stored -> {
        retire(before, wasConfigured);
        useKey(key, stored);
        return null;
      }));
    return switched.map(v -> {
      configuredPrivate = privateKey;
      configuredPublic = publicKey;
      LOG.info("identity: signing key changed by the configuration: {} → {}", before == null ? "none" : before.kid(), current.kid());
      return true;
    });
  }

  /** A replaced configured key keeps only its public half, published until its tokens have expired. */
  private void retire(Key key, boolean wasConfigured) {
    if (key == null || !wasConfigured) {
      return;
    }
    List<Key> kept = new ArrayList<>();
    kept.add(new Key(key.kid(), key.algorithm(), key.publicJwk(), null, key.createdAt(), Instant.now()));
    replaced.stream().filter(k -> !k.kid().equals(key.kid())).forEach(kept::add);
    replaced = List.copyOf(kept);
  }

  private void useKey(Key key, List<Key> stored) {
    List<Key> all = new ArrayList<>();
    all.add(key);
    replaced.stream().filter(k -> !k.kid().equals(key.kid())).forEach(all::add);
    all.addAll(stored);
    signer = signerFor(key);
    current = key;
    keys = List.copyOf(all);
  }

  /** Replaces the signing key when it is older than rotateAfter; true when a new key was made (by any node). */
  Future<Boolean> rotateIfDue() {
    if (!configuredPrivate.isBlank() || settings.rotateAfter().isZero()) {
      return Future.succeededFuture(false);
    }
    Key signing = current;
    if (signing != null && signing.createdAt().plus(settings.rotateAfter()).isAfter(Instant.now())) {
      return Future.succeededFuture(false);
    }
    return generate(true).compose(made -> readStored().map(stored -> {
      String before = signing == null ? null : signing.kid();
      install(stored);
      return !current.kid().equals(before);
    }));
  }

  /** Re-reads the keys another node may have rotated. */
  Future<Void> reload() {
    if (!configuredPrivate.isBlank()) {
      return Future.succeededFuture();
    }
    return readStored().map(stored -> {
      install(stored);
      return null;
    });
  }

  Key current() {
    return current;
  }

  /** Public keys to publish: the signing key and retired keys whose tokens may still be valid. */
  JsonArray jwks() {
    Instant cutoff = Instant.now().minus(settings.accessTtl()).minus(settings.clockSkew());
    JsonArray out = new JsonArray();
    for (Key key : keys) {
      if (key.retiredAt() == null || key.retiredAt().isAfter(cutoff)) {
        out.add(key.publicJwk().copy());
      }
    }
    return out;
  }

  String sign(JsonObject claims) {
    Key key = current;
    return signer.generateToken(claims, new JWTOptions().setAlgorithm(key.algorithm()).setHeader(new JsonObject().put("kid", key.kid())));
  }

  private void install(List<Key> stored) {
    Key newest = stored.stream().filter(k -> k.retiredAt() == null).findFirst()
      .orElseThrow(() -> new IllegalStateException("no active signing key in signing_keys"));
    List<Key> all = new ArrayList<>(stored);
    all.addAll(replaced);
    signer = signerFor(newest);
    current = newest;
    keys = List.copyOf(all);
  }

  private JWTAuth signerFor(Key key) {
    return JWTAuth.create(vertx, new JWTAuthOptions().addPubSecKey(new PubSecKeyOptions()
      .setAlgorithm(key.algorithm()).setId(key.kid()).setBuffer(key.privatePem())));
  }

  /** The configured pair as a key, after checking that it is usable and that its halves belong together. */
  private Future<Key> configured(String privatePem, String publicPem) {
    return vertx.executeBlocking(() -> {
      JsonObject jwk;
      try {
        jwk = Jwk.of(Jwk.publicKey(publicPem));
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("identity.jwt.publicKey: " + e.getMessage()
          + (publicPem.isBlank() ? " (it is required together with identity.jwt.privateKey)" : ""), e);
      }
      Key key = new Key(jwk.getString("kid"), jwk.getString("alg"), jwk, privatePem, Instant.now(), null);
      JWTAuth candidate;
      String token;
      try {
        candidate = signerFor(key);
        token = candidate.generateToken(new JsonObject().put("probe", true), new JWTOptions().setAlgorithm(key.algorithm()));
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("identity.jwt.privateKey: not a usable " + key.algorithm() + " PKCS#8 PEM key: " + e.getMessage(), e);
      }
      // The pair must match, or every token would be refused: check a signature with the public half.
      JWTAuth verifier = JWTAuth.create(vertx, new JWTAuthOptions().addJwk(jwk));
      verifier.authenticate(new io.vertx.ext.auth.authentication.TokenCredentials(token))
        .toCompletionStage().toCompletableFuture().join();
      return key;
    }).recover(err -> Future.failedFuture(new IllegalArgumentException(
      err.getMessage() != null && err.getMessage().startsWith("identity.jwt") ? err.getMessage()
        : "identity.jwt.privateKey and identity.jwt.publicKey do not belong together", err)))
      .map(key -> {
        LOG.info("identity: signing access tokens with the configured {} key {}", key.algorithm(), key.kid());
        return key;
      });
  }

  private Future<List<Key>> readStored() {
    return pool.query("SELECT kid, algorithm, public_jwk, private_pem, created_at, retired_at FROM signing_keys ORDER BY created_at DESC, kid")
      .execute()
      .map(rows -> {
        List<Key> out = new ArrayList<>();
        for (Row row : rows) {
          out.add(new Key(row.getString("kid"), row.getString("algorithm"), row.getJsonObject("public_jwk"), row.getString("private_pem"),
            row.getOffsetDateTime("created_at").toInstant(),
            row.getOffsetDateTime("retired_at") == null ? null : row.getOffsetDateTime("retired_at").toInstant()));
        }
        return out;
      });
  }

  /**
   * Makes a key under the advisory lock. {@code rotating}: only if the newest active key is (still) due; else
   * only if there is no active key at all — so nodes starting or rotating together make one key, not several.
   */
  private Future<Boolean> generate(boolean rotating) {
    String algorithm = settings.algorithm();
    return vertx.executeBlocking(() -> newKeyPair(algorithm)).compose(pair -> pool.withTransaction(tx ->
      tx.preparedQuery("SELECT pg_advisory_xact_lock($1)").execute(Tuple.of(LOCK))
        .compose(v -> tx.query("SELECT created_at FROM signing_keys WHERE retired_at IS NULL ORDER BY created_at DESC LIMIT 1").execute())
        .compose(rows -> {
          Instant newest = rows.size() == 0 ? null : rows.iterator().next().getOffsetDateTime(0).toInstant();
          boolean due = rotating
            ? newest == null || newest.plus(settings.rotateAfter()).isBefore(Instant.now())
            : newest == null;
          if (!due) {
            return Future.succeededFuture(false);
          }
          JsonObject jwk = Jwk.of(pair.getPublic());
          String pem = Jwk.pem("PRIVATE KEY", pair.getPrivate().getEncoded());
          OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
          return tx.preparedQuery("UPDATE signing_keys SET retired_at = $1 WHERE retired_at IS NULL").execute(Tuple.of(now))
            .compose(v -> tx.preparedQuery("INSERT INTO signing_keys (kid, algorithm, private_pem, public_jwk, created_at) VALUES ($1, $2, $3, $4, $5)")
              .execute(Tuple.of(jwk.getString("kid"), algorithm, pem, jwk, now)))
            .map(v -> {
              LOG.info("identity: {} {} signing key {}", rotating ? "rotated to" : "generated", algorithm, jwk.getString("kid"));
              return true;
            });
        })));
  }

  private static KeyPair newKeyPair(String algorithm) throws Exception {
    if (algorithm.equals("ES256")) {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      return generator.generateKeyPair();
    }
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    return generator.generateKeyPair();
  }

}
