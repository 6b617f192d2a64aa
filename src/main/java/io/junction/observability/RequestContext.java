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

  /** Attaches this request's ids to the current context (a per-request duplicated context). */
  public void attach() {
    Context ctx = Vertx.currentContext();
    if (ctx instanceof ContextInternal internal && internal.isDuplicate()) {
      internal.putLocal(KEY, this);
    }
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
