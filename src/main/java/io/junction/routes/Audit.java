package io.junction.routes;

import io.junction.http.Caller;
import io.junction.observability.RequestContext;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The routes module's audit records, sent to the audit module after the change committed (or was refused). */
final class Audit {
  private static final Logger LOG = LoggerFactory.getLogger(Audit.class);
  static final String ADDRESS = "junction.audit.record";

  private final Vertx vertx;

  Audit(Vertx vertx) {
    this.vertx = vertx;
  }

  static String actor(RoutingContext ctx) {
    Caller caller = ctx == null ? null : Caller.of(ctx);
    return caller == null ? "system" : caller.userId();
  }

  static String traceId() {
    RequestContext rc = RequestContext.current();
    return rc == null ? null : rc.traceId();
  }

  void record(RoutingContext ctx, String action, String target, String outcome, JsonObject metadata) {
    RequestContext rc = RequestContext.current();
    var peer = ctx == null ? null : ctx.request().remoteAddress();
    JsonObject record = new JsonObject()
      .put("actor", actor(ctx))
      .put("action", action)
      .put("target", target)
      .put("outcome", outcome)
      .put("metadata", metadata == null ? new JsonObject() : metadata)
      .put("requestId", rc == null ? null : rc.requestId())
      .put("traceId", rc == null ? null : rc.traceId())
      .put("ip", peer == null ? null : peer.hostAddress())
      .put("userAgent", ctx == null ? null : ctx.request().getHeader("User-Agent"));
    vertx.eventBus().request(ADDRESS, record)
      .onFailure(err -> LOG.error("routes: audit record {} on {} was not stored: {}", action, target, err.getMessage()));
  }
}
