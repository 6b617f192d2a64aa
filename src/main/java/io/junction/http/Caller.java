package io.junction.http;

import io.vertx.ext.web.RoutingContext;

import java.util.Set;

/**
 * Who is calling the admin API, once their access token checked out: the user, the roles in force now and
 * the permissions those roles grant now. Admin handlers read it with {@link #of(RoutingContext)}.
 */
public record Caller(String userId, String email, Set<String> roles, Set<String> permissions) {
  public static final String KEY = "junction.caller";

  public boolean can(String permission) {
    return permissions.contains(permission);
  }

  /** The authenticated caller of this admin request, or null for unauthenticated operations. */
  public static Caller of(RoutingContext ctx) {
    return ctx.get(KEY);
  }
}
