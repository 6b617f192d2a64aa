package io.junction.routes;

import io.junction.audit.Auditor;
import io.junction.http.Caller;
import io.junction.observability.RequestContext;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** The routes module's audit records (actor: the admin caller, else "system"), sent after a change committed or was refused. */
final class Audit {
  private final Auditor auditor;

  Audit(Vertx vertx) {
    this.auditor = new Auditor(vertx, "routes");
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
    auditor.record(ctx, actor(ctx), action, target, outcome, metadata);
  }
}
