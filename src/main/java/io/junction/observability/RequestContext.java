package io.junction.observability;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;

/**
 * Request id and trace id of the request being handled, kept on the request's (duplicated) Vert.x context so
 * that every log line written while handling it — on any callback — carries them.
 */
public record RequestContext(String requestId, String traceId, String spanId) {
  private static final Object KEY = RequestContext.class;
  private static final Object USER_KEY = "junction.observability.user";

  /** Attaches this request's ids to the current context (a per-request duplicated context). */
  public void attach() {
    Context ctx = Vertx.currentContext();
    if (ctx instanceof ContextInternal internal && internal.isDuplicate()) {
      internal.putLocal(KEY, this);
    }
  }

  /**
   * Records the authenticated user of the request being handled, so its later log lines (the access log
   * included) carry {@code user_id}. Outside a request this does nothing.
   */
  public static void user(String userId) {
    Context ctx = Vertx.currentContext();
    if (userId != null && ctx instanceof ContextInternal internal && internal.isDuplicate()) {
      internal.putLocal(USER_KEY, userId);
    }
  }

  /** The user recorded with {@link #user(String)} for the request on the calling thread's context, or null. */
  public static String currentUser() {
    Context ctx = Vertx.currentContext();
    if (ctx instanceof ContextInternal internal && internal.isDuplicate()) {
      return internal.getLocal(USER_KEY) instanceof String user ? user : null;
    }
    return null;
  }

  /** The ids of the request on the calling thread's context, or null outside a request. */
  public static RequestContext current() {
    Context ctx = Vertx.currentContext();
    if (ctx instanceof ContextInternal internal && internal.isDuplicate()) {
      Object value = internal.getLocal(KEY);
      return value instanceof RequestContext rc ? rc : null;
    }
    return null;
  }
}
