package io.junction.gateway.filter.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.junction.gateway.filter.Exchange;
import io.junction.gateway.filter.FilterChain;
import io.junction.gateway.filter.FilterContext;
import io.junction.gateway.filter.FilterFactory;
import io.junction.gateway.filter.GatewayFilter;
import io.junction.gateway.filter.Relayable;
import io.junction.gateway.route.definition.Args;
import io.junction.gateway.route.definition.DefinitionException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code BasicAuth}: HTTP Basic credentials checked against htpasswd users (bcrypt) listed in the config or in a
 * file (e.g. a mounted Kubernetes Secret). bcrypt is slow by design, so checks run on a worker thread, never on
 * the event loop, and their outcome is remembered for a minute (bounded, keyed by a SHA-256 of the header, so
 * no password is kept). Failure is 401 with {@code WWW-Authenticate: Basic realm="..."}.
 */
public final class BasicAuthFilter implements Relayable {
  static final int MAX_HEADER = 4096;
  private final Vertx vertx;
  private final Htpasswd users;
  private final String realm;
  private final Cache<String, String> verdicts = Caffeine.newBuilder().maximumSize(10_000)
    .expireAfterWrite(Duration.ofSeconds(60)).build();
  private static final String REFUSED = "";

  BasicAuthFilter(Vertx vertx, Htpasswd users, String realm) {
    this.vertx = vertx;
    this.users = users;
    this.realm = realm;
  }

  @Override
  public Future<Void> filter(Exchange ex, FilterChain chain) {
    String header = ex.inbound().headers().get("Authorization");
    if (header == null || header.isBlank()) {
      return refuse(ex, "credentials_missing", "user name and password required (HTTP Basic)");
    }
    String[] credentials = decode(header);
    if (credentials == null) {
      return refuse(ex, "invalid_credentials", "the Authorization header is not valid Basic credentials");
    }
    String key = digest(header);
    String cached = verdicts.getIfPresent(key);
    if (cached != null) {
      return decide(ex, chain, cached);
    }
    return vertx.executeBlocking(() -> users.check(credentials[0], credentials[1]) ? credentials[0] : REFUSED, false)
      .compose(verdict -> {
        verdicts.put(key, verdict);
        return decide(ex, chain, verdict);
      });
  }

  private Future<Void> decide(Exchange ex, FilterChain chain, String user) {
    if (user.isEmpty()) {
      return refuse(ex, "invalid_credentials", "wrong user name or password");
    }
    AuthAttributes.signIn(ex, new Principal(user, null, Set.of(), Set.of(), Set.of(), Map.of("sub", user), "basic"));
    return chain.next(ex);
  }

  private Future<Void> refuse(Exchange ex, String code, String message) {
    return AuthResponses.unauthorized(ex, code, message, "Basic realm=\"" + AuthResponses.quoted(realm) + "\", charset=\"UTF-8\"");
  }

  /** {user, password} of a well-formed Basic header, else null. */
  static String[] decode(String header) {
    String v = header.trim();
    if (v.length() > MAX_HEADER || v.length() < 7 || !v.regionMatches(true, 0, "Basic ", 0, 6)) {
      return null;
    }
    try {
      String text = new String(Base64.getDecoder().decode(v.substring(6).trim()), StandardCharsets.UTF_8);
      int colon = text.indexOf(':');
      if (colon <= 0) {
        return null;
      }
      return new String[] {text.substring(0, colon), text.substring(colon + 1)};
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static String digest(String header) {
    try {
      return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(header.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String toString() {
    return "BasicAuth realm " + realm + " (" + users.size() + " user(s))";
  }

  /**
   * Args: {@code realm} (junction), {@code users} (htpasswd lines) or {@code usersFile} (path of an htpasswd
   * file, read when the route is built). Shortcut: {@code BasicAuth=realm, usersFile}.
   */
  public static final class Factory implements FilterFactory {
    @Override
    public String name() {
      return "BasicAuth";
    }

    @Override
    public List<String> shortcutFieldOrder() {
      return List.of("realm", "usersFile");
    }

    @Override
    public List<String> argNames() {
      return List.of("realm", "users", "usersFile");
    }

    @Override
    public GatewayFilter create(Args args, FilterContext context) throws DefinitionException {
      String realm = args.optionalString("realm") == null ? "junction" : args.optionalString("realm");
      List<String> lines = AuthArgs.lines(args, "users");
      String file = args.optionalString("usersFile");
      if ((lines == null) == (file == null)) {
        throw new DefinitionException("give exactly one of 'users' (htpasswd lines) or 'usersFile' (an htpasswd file)");
      }
      try {
        if (file != null) {
          try {
            lines = Files.readAllLines(Path.of(file), StandardCharsets.UTF_8);
          } catch (IOException | RuntimeException e) {
            throw args.bad("usersFile", "cannot read " + file + ": " + e.getMessage());
          }
        }
        return new BasicAuthFilter(context.vertx(), Htpasswd.parse(lines, file != null ? file : "users"), realm);
      } catch (IllegalArgumentException e) {
        throw args.bad(file != null ? "usersFile" : "users", e.getMessage());
      }
    }
  }
}
