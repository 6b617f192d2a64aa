package io.junction.http.api;

import io.junction.http.AdminAudit;
import io.junction.http.ApiError;
import io.junction.http.Caller;
import io.junction.observability.RequestContext;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Set;

/**
 * Audits every mutating /api/v1 request (POST, PUT, PATCH, DELETE) once its response ended: who, which method
 * and path, which status. Refuses such requests with 503 while the audit module cannot take more records, so
 * nothing changes unaudited. Reads and the rest of the listener (health, metrics) pass untouched.
 */
final class AdminRequestAudit implements Handler<RoutingContext> {
  private static final Logger LOG = LoggerFactory.getLogger(AdminRequestAudit.class);
  private static final Set<HttpMethod> MUTATING = Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE);

  private final AdminAudit audit;

  AdminRequestAudit(AdminAudit audit) {
    this.audit = audit;
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpMethod method = ctx.request().method();
    String path = ctx.request().path();
    if (!MUTATING.contains(method) || path == null || !path.startsWith(AdminRouter.API_PREFIX)) {
      ctx.next();
      return;
    }
    if (!audit.accepting()) {
      LOG.error("admin: {} {} refused: the audit log cannot take more records", method, path);
      ctx.response().putHeader("Retry-After", "5");
      ApiError.send(ctx.response(), 503, "unavailable", "the audit log is not accepting records; changes are refused until it catches up", null);
      return;
    }
    // Ids are read now: the end handler may run where the request's context is no longer current.
    RequestContext rc = RequestContext.current();
    String requestId = rc == null ? null : rc.requestId();
    String traceId = rc == null ? null : rc.traceId();
    ctx.addEndHandler(ended -> {
      int status = ctx.response().getStatusCode();
      Caller caller = Caller.of(ctx);
      String operationId = ctx.get(AdminAudit.OPERATION_KEY);
      JsonObject metadata = new JsonObject().put("method", method.name()).put("path", path).put("status", status)
        .put("operationId", operationId);
      if (ended.failed()) {
        metadata.put("connection", "closed before the response ended");
      }
      audit.record(new JsonObject()
        .put("actor", caller == null ? "anonymous" : caller.userId())
        .put("action", "admin." + method.name().toLowerCase(java.util.Locale.ROOT))
        .put("target", path)
        .put("outcome", outcome(status))
        .put("metadata", metadata)
        .put("requestId", requestId)
        .put("traceId", traceId)
        .put("ip", ctx.request().remoteAddress() == null ? null : ctx.request().remoteAddress().hostAddress())
        .put("userAgent", ctx.request().getHeader("User-Agent")));
    });
    ctx.next();
  }

  /** success (< 400), denied (401, 403), failure (other 4xx), error (5xx); the status itself is in metadata. */
  static String outcome(int status) {
    if (status < 400) {
      return "success";
    }
    if (status == 401 || status == 403) {
      return "denied";
    }
    return status < 500 ? "failure" : "error";
  }
}
