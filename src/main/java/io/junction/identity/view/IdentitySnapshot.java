package io.junction.identity.view;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One immutable identity snapshot as the identity module publishes it (keys, roles → permissions, recently
 * changed users, API keys by hash), parsed once so that every lookup on the hot path is a map read.
 */
final class IdentitySnapshot {
  private static final int MEMO_LIMIT = 1024;

  record User(long changedAt, boolean active, List<String> roles) {
  }

  record ApiKey(String id, String userId, List<String> roles, Long expiresAt) {
  }

  final long version;
  final String issuer;
  final String audience;
  final long clockSkewSeconds;
  final JwksVerifier verifier;
  final ClaimRules rules;
  final Map<String, Set<String>> roles;
  final Map<String, User> users;
  final Map<String, ApiKey> apiKeysByHash;
  private final Map<List<String>, Set<String>> permissionMemo = new ConcurrentHashMap<>();

  private IdentitySnapshot(long version, String issuer, String audience, long skew, JwksVerifier verifier,
                           Map<String, Set<String>> roles, Map<String, User> users, Map<String, ApiKey> apiKeys) {
    this.version = version;
    this.issuer = issuer;
    this.audience = audience;
    this.clockSkewSeconds = skew;
    this.verifier = verifier;
    this.rules = new ClaimRules(issuer, audience, skew);
    this.roles = roles;
    this.users = users;
    this.apiKeysByHash = apiKeys;
  }

  /** The version field alone, for a cheap "is it newer" check; null when absent or not a number. */
  static Long versionOf(JsonObject json) {
    return json.getValue("version") instanceof Number n ? n.longValue() : null;
  }

  /**
   * Parses a snapshot; throws IllegalArgumentException naming the first structural problem. The previous
   * snapshot's verifier is kept when the keys did not change, so its cache of checked signatures survives.
   */
  static IdentitySnapshot parse(JsonObject json, IdentitySnapshot previous) {
    Long version = versionOf(json);
    if (version == null) {
      throw new IllegalArgumentException("version must be a number");
    }
    String issuer = text(json, "issuer");
    String audience = text(json, "audience");
    Object skewValue = json.getValue("clockSkewSeconds", 30);
    if (!(skewValue instanceof Number skew) || skew.longValue() < 0 || skew.longValue() > 3600) {
      throw new IllegalArgumentException("clockSkewSeconds must be a number between 0 and 3600");
    }
    if (!(json.getValue("keys") instanceof JsonArray keys)) {
      throw new IllegalArgumentException("keys must be an array of JWKs");
    }
    JwksVerifier verifier = previous != null && previous.verifier.source().equals(keys) ? previous.verifier : JwksVerifier.of(keys);

    Map<String, Set<String>> roles = new HashMap<>();
    for (Map.Entry<String, Object> e : object(json, "roles")) {
      roles.put(e.getKey(), Set.copyOf(strings(e.getValue(), "roles." + e.getKey())));
    }
    Map<String, User> users = new HashMap<>();
    for (Map.Entry<String, Object> e : object(json, "users")) {
      if (!(e.getValue() instanceof JsonObject u) || !(u.getValue("changedAt") instanceof Number changedAt)) {
        throw new IllegalArgumentException("users." + e.getKey() + " must be {changedAt, active, roles}");
      }
      users.put(e.getKey(), new User(changedAt.longValue(), !Boolean.FALSE.equals(u.getValue("active")),
        strings(u.getValue("roles"), "users." + e.getKey() + ".roles")));
    }
    Map<String, ApiKey> apiKeys = new HashMap<>();
    Object listed = json.getValue("apiKeys");
    if (listed != null && !(listed instanceof JsonArray)) {
      throw new IllegalArgumentException("apiKeys must be an array");
    }
    JsonArray keyList = listed == null ? new JsonArray() : (JsonArray) listed;
    for (int i = 0; i < keyList.size(); i++) {
      if (!(keyList.getValue(i) instanceof JsonObject k) || text(k, "hash") == null || text(k, "userId") == null) {
        throw new IllegalArgumentException("apiKeys[" + i + "] must be {hash, id, userId, roles, expiresAt}");
      }
      Object expires = k.getValue("expiresAt");
      if (expires != null && !(expires instanceof Number)) {
        throw new IllegalArgumentException("apiKeys[" + i + "].expiresAt must be epoch milliseconds or null");
      }
      apiKeys.put(k.getString("hash"), new ApiKey(text(k, "id"), k.getString("userId"),
        strings(k.getValue("roles"), "apiKeys[" + i + "].roles"), expires == null ? null : ((Number) expires).longValue()));
    }
    return new IdentitySnapshot(version, issuer, audience, skew.longValue(), verifier, Map.copyOf(roles), Map.copyOf(users), Map.copyOf(apiKeys));
  }

  /** The union of the permissions the roles grant now; unknown roles grant nothing. */
  Set<String> permissionsOf(Collection<String> roleNames) {
    List<String> key = List.copyOf(roleNames);
    Set<String> memo = permissionMemo.get(key);
    if (memo != null) {
      return memo;
    }
    Set<String> out = new LinkedHashSet<>();
    for (String r : key) {
      Set<String> granted = roles.get(r);
      if (granted != null) {
        out.addAll(granted);
      }
    }
    Set<String> result = Set.copyOf(out);
    if (permissionMemo.size() < MEMO_LIMIT) {
      permissionMemo.put(key, result);
    }
    return result;
  }

  private static String text(JsonObject json, String name) {
    Object v = json.getValue(name);
    if (v != null && !(v instanceof String)) {
      throw new IllegalArgumentException(name + " must be a string");
    }
    return (String) v;
  }

  private static JsonObject object(JsonObject json, String name) {
    Object v = json.getValue(name);
    if (v == null) {
      return new JsonObject();
    }
    if (!(v instanceof JsonObject o)) {
      throw new IllegalArgumentException(name + " must be an object");
    }
    return o;
  }

  private static List<String> strings(Object value, String where) {
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof JsonArray array)) {
      throw new IllegalArgumentException(where + " must be an array of strings");
    }
    List<String> out = new java.util.ArrayList<>(array.size());
    for (Object o : array) {
      if (!(o instanceof String s)) {
        throw new IllegalArgumentException(where + " must be an array of strings");
      }
      out.add(s);
    }
    return List.copyOf(out);
  }
}
