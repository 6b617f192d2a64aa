package io.junction.identity;

import io.junction.observability.RequestContext;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Sends the identity module's audit records to the audit module ({@code junction.audit.record}). */
final class Audit {
  private static final Logger LOG = LoggerFactory.getLogger(Audit.class);
  static final String ADDRESS = "junction.audit.record";

  private final Vertx vertx;

  Audit(Vertx vertx) {
    this.vertx = vertx;
  }

  void record(RoutingContext ctx, String actor, String action, String target, String outcome, JsonObject metadata) {
    RequestContext rc = RequestContext.current();
    JsonObject record = new JsonObject()
      .put("actor", actor == null ? "anonymous" : actor)
      .put("action", action)
      .put("target", target)
      .put("outcome", outcome)
      .put("metadata", metadata == null ? new JsonObject() : metadata)
      .put("requestId", rc == null ? null : rc.requestId())
      .put("traceId", rc == null ? null : rc.traceId())
      .put("ip", ctx == null ? null : ctx.request().remoteAddress() == null ? null : ctx.request().remoteAddress().hostAddress())
      .put("userAgent", ctx == null ? null : ctx.request().getHeader("User-Agent"));
    vertx.eventBus().request(ADDRESS, record)
      .onFailure(err -> LOG.error("identity: audit record {} for {} was not stored: {}", action, target, err.getMessage()));
  }
}
