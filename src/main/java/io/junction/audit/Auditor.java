package io.junction.audit;

import io.junction.observability.RequestContext;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit module's face for other modules: sends one record to {@code junction.audit.record} with the
 * request's id, trace id, client address and user agent filled in. A record that is not stored is logged
 * with the sending module's name; the caller's answer does not wait for it.
 */
public final class Auditor {
  private static final Logger LOG = LoggerFactory.getLogger(Auditor.class);

  private final Vertx vertx;
  private final String module;

  public Auditor(Vertx vertx, String module) {
    this.vertx = vertx;
    this.module = module;
  }

  /** @param ctx the admin or platform request the record is about, or null for work outside a request */
  public void record(RoutingContext ctx, String actor, String action, String target, String outcome, JsonObject metadata) {
    RequestContext rc = RequestContext.current();
    var peer = ctx == null ? null : ctx.request().remoteAddress();
    JsonObject record = new JsonObject()
      .put("actor", actor == null ? "anonymous" : actor)
      .put("action", action)
      .put("target", target)
      .put("outcome", outcome)
      .put("metadata", metadata == null ? new JsonObject() : metadata)
      .put("requestId", rc == null ? null : rc.requestId())
      .put("traceId", rc == null ? null : rc.traceId())
      .put("ip", peer == null ? null : peer.hostAddress())
      .put("userAgent", ctx == null ? null : ctx.request().getHeader("User-Agent"));
    vertx.eventBus().request(AuditVerticle.RECORD_ADDRESS, record)
      .onFailure(err -> LOG.error("{}: audit record {} on {} was not stored: {}", module, action, target, err.getMessage()));
  }
}
