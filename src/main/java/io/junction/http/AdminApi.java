package io.junction.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

import java.util.Map;

/**
 * Handlers a module contributes to an HTTP contract (the admin API, or the public /auth endpoints), bound to
 * the OpenAPI document's operations by operationId. The router has already authenticated the caller, checked
 * the operation's x-permission and validated the request against the document when a handler runs.
 */
public interface AdminApi {
  Map<String, Handler<RoutingContext>> operations();
}
