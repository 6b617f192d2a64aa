package io.junction.routes;

import io.junction.http.ApiError;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

import java.util.HashMap;
import java.util.Map;

/**
 * The routes module's operation ids (and the events module's dead-letter ones), each answering 503: for contract tests that serve the admin contract
 * without a database (every operation needs a handler or the router refuses to start).
 */
public final class RoutesApiStub {
  private RoutesApiStub() {
  }

  public static Map<String, Handler<RoutingContext>> operations() {
    Map<String, Handler<RoutingContext>> ops = new HashMap<>();
    for (Kind kind : Kind.values()) {
      new DefinitionsApi(null, null, kind, null, null, null).operations().keySet().forEach(id -> ops.put(id, RoutesApiStub::notHere));
    }
    new RevisionsApi(null).operations().keySet().forEach(id -> ops.put(id, RoutesApiStub::notHere));
    new BackupApi(null, null, null, null).operations().keySet().forEach(id -> ops.put(id, RoutesApiStub::notHere));
    new io.junction.events.DeadLettersApi(null).operations().keySet().forEach(id -> ops.put(id, RoutesApiStub::notHere));
    return ops;
  }

  private static void notHere(RoutingContext ctx) {
    ApiError.send(ctx.response(), 503, "unavailable", "the routes module is not part of this test server", null);
  }
}
