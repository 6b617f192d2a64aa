package io.junction.identity.view;

import io.junction.http.AdminAuth;
import io.junction.http.AuthException;
import io.junction.http.Caller;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The node-local view of identity state that verifiers use: the identity module's snapshot (signing keys,
 * what each role grants, users whose roles or status changed recently, API keys by hash), fetched once over
 * the event bus ({@code junction.identity.snapshot}) and then replaced whole by every newer snapshot published
 * on {@code junction.identity.changed}. Every check — token signature and claims, effective roles and
 * permissions, API key lookup — is local and synchronous: no database or event-bus call per request. One
 * instance serves every event loop; the snapshot is immutable and swapped atomically.
 */
public final class IdentityView implements AdminAuth {
  public static final String SNAPSHOT_ADDRESS = "junction.identity.snapshot";
  public static final String CHANGED_ADDRESS = "junction.identity.changed";
  /** How long {@link #attach} asks for the first snapshot before giving up. */
  static final long ATTACH_WINDOW_MS = 5_000;
  static final long SLOW_RETRY_MS = 5_000;
  private static final Logger LOG = LoggerFactory.getLogger(IdentityView.class);

  private final Vertx vertx;
  private final Clock clock;
  private final AtomicReference<IdentitySnapshot> state = new AtomicReference<>();
  private final Promise<IdentityView> loaded = Promise.promise();
  private volatile MessageConsumer<Object> consumer;
  private volatile long retryTimer = -1;
  private volatile boolean closed;

  private IdentityView(Vertx vertx, Clock clock) {
    this.vertx = vertx;
    this.clock = clock;
  }

  /**
   * A view that starts empty and fills itself: it subscribes to {@code junction.identity.changed} and asks for
   * the snapshot (again after 0.1, 0.2, 0.4 … 1 s for the first few seconds, then every 5 s until one arrives).
   * Until then {@link #verify} refuses every token with code {@code unavailable}.
   */
  public static IdentityView open(Vertx vertx) {
    return open(vertx, Clock.systemUTC());
  }

  static IdentityView open(Vertx vertx, Clock clock) {
    IdentityView view = new IdentityView(vertx, clock);
    view.consumer = vertx.eventBus().consumer(CHANGED_ADDRESS, msg -> view.accept(msg.body()));
    view.ask(0, System.nanoTime());
    return view;
  }

  /**
   * A view holding the identity module's snapshot: completes once the first snapshot arrived, fails (and
   * closes the view) when nobody answered within a few seconds.
   */
  public static Future<IdentityView> attach(Vertx vertx) {
    IdentityView view = open(vertx);
    Promise<IdentityView> done = Promise.promise();
    long timer = vertx.setTimer(ATTACH_WINDOW_MS, t -> {
      if (done.tryFail("no identity snapshot on " + SNAPSHOT_ADDRESS + " within " + ATTACH_WINDOW_MS + " ms")) {
        view.close();
      }
    });
    view.ready().onSuccess(v -> {
      vertx.cancelTimer(timer);
      done.tryComplete(v);
    });
    return done.future();
  }

  /** Completes when the first snapshot has been applied. */
  public Future<IdentityView> ready() {
    return loaded.future();
  }

  /** True once a snapshot is held: tokens can be checked. */
  public boolean available() {
    return state.get() != null;
  }

  /** The version of the snapshot held, or -1. */
  public long version() {
    IdentitySnapshot s = state.get();
    return s == null ? -1 : s.version;
  }

  /** The issuer Junction's tokens carry ({@code iss}), or null before the first snapshot. */
  public String issuer() {
    IdentitySnapshot s = state.get();
    return s == null ? null : s.issuer;
  }

  public String audience() {
    IdentitySnapshot s = state.get();
    return s == null ? null : s.audience;
  }

  /** The clock skew tolerated on exp and nbf, in seconds (30 until the first snapshot). */
  public long clockSkewSeconds() {
    IdentitySnapshot s = state.get();
    return s == null ? 30 : s.clockSkewSeconds;
  }

  /**
   * Checks one of Junction's access tokens against the held snapshot and works out what its user may do now.
   *
   * @throws TokenRejectedException for every token that is not acceptable, with its reason; never anything else
   */
  public VerifiedToken verify(String compactJwt) {
    return verify(compactJwt, null, null);
  }

  /**
   * As {@link #verify(String)}, with an issuer and audience other than the snapshot's (a route that wants
   * Junction's keys but its own audience); null means the snapshot's.
   */
  public VerifiedToken verify(String compactJwt, String issuer, String audience) {
    IdentitySnapshot s = state.get();
    if (s == null) {
      throw new TokenRejectedException("unavailable", "identity data is not loaded yet");
    }
    VerifiedJws jws = s.verifier.verify(compactJwt);
    ClaimRules rules = issuer == null && audience == null ? s.rules
      : new ClaimRules(issuer == null ? s.issuer : issuer, audience == null ? s.audience : audience, s.clockSkewSeconds);
    rules.check(jws, clock.millis() / 1000);
    String subject = jws.subject();
    if (subject == null || subject.isEmpty()) {
      throw new TokenRejectedException("token_malformed", "the token has no subject (sub)");
    }
    IdentitySnapshot.User user = s.users.get(subject);
    Collection<String> roles;
    Long iat = jws.issuedAt();
    if (user != null && (iat == null || user.changedAt() > iat * 1000)) {
      if (!user.active()) {
        throw new TokenRejectedException("token_revoked", "the user is disabled");
      }
      roles = user.roles();
    } else {
      roles = VerifiedToken.stringsOf(jws.claims().get("roles"));
    }
    Object email = jws.claims().get("email");
    return new VerifiedToken(subject, email instanceof String e ? e : null, Set.copyOf(roles), s.permissionsOf(roles),
      VerifiedToken.scopesOf(jws.claims()), jws.claims(), jws.expiresAt(), jws.issuer());
  }

  /** The owner of an API key, or null when the key is unknown, expired, revoked or its user disabled. */
  public ApiKeyOwner apiKey(String key) {
    IdentitySnapshot s = state.get();
    if (s == null || key == null || key.isBlank() || key.length() > 1024) {
      return null;
    }
    IdentitySnapshot.ApiKey entry = s.apiKeysByHash.get(hash(key));
    if (entry == null || (entry.expiresAt() != null && entry.expiresAt() <= clock.millis())) {
      return null;
    }
    IdentitySnapshot.User user = s.users.get(entry.userId());
    if (user != null && !user.active()) {
      return null;
    }
    return new ApiKeyOwner(entry.id(), entry.userId(), Set.copyOf(entry.roles()), s.permissionsOf(entry.roles()), entry.expiresAt());
  }

  /** The permissions these roles grant in the current snapshot (empty before the first one). */
  public Set<String> permissionsOf(Collection<String> roles) {
    IdentitySnapshot s = state.get();
    return s == null || roles == null ? Set.of() : s.permissionsOf(roles);
  }

  /** Admin API authentication: {@code Bearer <token>} (scheme in any case) → the caller, or a 401. */
  @Override
  public Caller authenticate(String authorizationHeader) {
    if (authorizationHeader == null || authorizationHeader.isBlank()) {
      throw new AuthException("token_missing", "an access token is required (Authorization: Bearer <token>)");
    }
    String token = bearerToken(authorizationHeader);
    if (token == null) {
      throw new AuthException("token_malformed", "the Authorization header must be 'Bearer <token>'");
    }
    try {
      VerifiedToken t = verify(token);
      return new Caller(t.subject(), t.email(), t.roles(), t.permissions());
    } catch (TokenRejectedException e) {
      throw new AuthException(e.code(), e.getMessage());
    }
  }

  /** The token of a {@code Bearer <token>} header value (scheme case-insensitive), or null for any other form. */
  public static String bearerToken(String headerValue) {
    if (headerValue == null) {
      return null;
    }
    String v = headerValue.trim();
    if (v.length() < 8 || !v.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    String token = v.substring(7).trim();
    return token.isEmpty() ? null : token;
  }

  /** base64url (no padding) of SHA-256 of the whole key string: how the identity module stores API keys. */
  public static String hash(String apiKey) {
    try {
      return Base64Url.encode(MessageDigest.getInstance("SHA-256").digest(apiKey.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Stops listening for snapshots; what is held stays readable. */
  public void close() {
    closed = true;
    long t = retryTimer;
    if (t >= 0) {
      vertx.cancelTimer(t);
    }
    MessageConsumer<Object> c = consumer;
    if (c != null) {
      c.unregister();
    }
  }

  private void ask(int attempt, long since) {
    if (closed || available()) {
      return;
    }
    vertx.eventBus().request(SNAPSHOT_ADDRESS, null, new DeliveryOptions().setSendTimeout(2_000)).onComplete(ar -> {
      if (ar.succeeded()) {
        accept(ar.result().body());
      }
      if (closed || available()) {
        return;
      }
      long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since);
      long delay = elapsed < ATTACH_WINDOW_MS ? Math.min(100L << Math.min(attempt, 4), 1_000) : SLOW_RETRY_MS;
      if (attempt == 0 || elapsed >= ATTACH_WINDOW_MS && elapsed < ATTACH_WINDOW_MS + SLOW_RETRY_MS) {
        LOG.debug("identity snapshot not available yet ({}); asking again in {} ms", ar.succeeded() ? "bad reply" : ar.cause().getMessage(), delay);
      }
      try {
        retryTimer = vertx.setTimer(delay, t -> ask(attempt + 1, since));
      } catch (IllegalStateException vertxClosed) {
        // Vert.x is shutting down: nothing more to ask
      }
    });
  }

  /** Applies a snapshot unless it is older than the one held; false when it was ignored or refused. */
  boolean accept(Object body) {
    JsonObject json;
    try {
      json = body instanceof JsonObject j ? j
        : body instanceof String s ? new JsonObject(s)
        : body instanceof Buffer b ? new JsonObject(b) : null;
    } catch (RuntimeException e) {
      json = null;
    }
    if (json == null) {
      LOG.warn("identity snapshot refused: not a JSON object");
      return false;
    }
    while (true) {
      IdentitySnapshot current = state.get();
      Long version = IdentitySnapshot.versionOf(json);
      if (current != null && version != null && version < current.version) {
        LOG.debug("identity snapshot {} ignored: {} is held", version, current.version);
        return false;
      }
      IdentitySnapshot next;
      try {
        next = IdentitySnapshot.parse(json, current);
      } catch (RuntimeException e) {
        LOG.error("identity snapshot refused, keeping version {}: {}", current == null ? "none" : current.version, e.getMessage());
        return false;
      }
      if (state.compareAndSet(current, next)) {
        if (!next.verifier.problems().isEmpty() && (current == null || current.verifier != next.verifier)) {
          LOG.warn("identity snapshot {}: unusable signing keys skipped: {}", next.version, next.verifier.problems());
        }
        if (current == null) {
          LOG.info("identity snapshot {} loaded: {} signing key(s), {} role(s)", next.version, next.verifier.kids().size(), next.roles.size());
        }
        loaded.tryComplete(this);
        return true;
      }
    }
  }

  /** Test seam: the kids of the keys held. */
  List<String> kids() {
    IdentitySnapshot s = state.get();
    return s == null ? List.of() : List.copyOf(s.verifier.kids());
  }
}
