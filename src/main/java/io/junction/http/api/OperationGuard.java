package io.junction.http.api;

import io.junction.http.AdminAuth;
import io.junction.http.ApiError;
import io.junction.http.AuthException;
import io.junction.http.Caller;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * Authentication (401) then authorization by the operation's x-permission (403), before the request is even
 * validated: an anonymous caller learns nothing about what a valid request would look like.
 */
final class OperationGuard implements Handler<RoutingContext> {
  private final AdminAuth auth;
  private final String permission;

  /** @param permission the operation's x-permission, or null when any authenticated caller may call it */
  OperationGuard(AdminAuth auth, String permission) {
    this.auth = auth;
    this.permission = permission;
  }

  @Override
  public void handle(RoutingContext ctx) {
    Caller caller;
    try {
      caller = auth.authenticate(ctx.request().getHeader("Authorization"));
    } catch (AuthException e) {
      ctx.response().putHeader("WWW-Authenticate", "Bearer");
      ApiError.send(ctx.response(), 401, e.code(), e.getMessage(), null);
      return;
    }
    if (caller == null) {
      ctx.response().putHeader("WWW-Authenticate", "Bearer");
      ApiError.send(ctx.response(), 401, "unauthorized", "a bearer token is required", null);
      return;
    }
    if (permission != null && !caller.can(permission)) {
      ApiError.send(ctx.response(), 403, "forbidden", "permission " + permission + " is required", null);
      return;
    }
    ctx.put(Caller.KEY, caller);
    io.junction.observability.RequestContext.user(caller.userId()); // the request's later log lines carry user_id
    ctx.next();
  }
}
