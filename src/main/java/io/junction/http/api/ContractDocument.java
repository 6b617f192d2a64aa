package io.junction.http.api;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;

import java.util.Map;

/** The admin contract serves itself: the YAML as written and the same document as JSON. */
final class ContractDocument {
  static final String YAML_OPERATION = "getOpenApiYaml";
  static final String JSON_OPERATION = "getOpenApiJson";

  private ContractDocument() {
  }

  static Map<String, Handler<RoutingContext>> handlers(LoadedContract loaded) {
    Buffer yaml = Contracts.buffer(loaded.text());
    Buffer json = Buffer.buffer(loaded.json().encodePrettily());
    return Map.of(
      YAML_OPERATION, ctx -> ctx.response().putHeader("Content-Type", "application/yaml; charset=utf-8").end(yaml),
      JSON_OPERATION, ctx -> ctx.response().putHeader("Content-Type", "application/json").end(json));
  }
}
