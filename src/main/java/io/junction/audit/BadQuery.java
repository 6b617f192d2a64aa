package io.junction.audit;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** A query parameter the handler refuses (400), in the contract's ErrorDetail shape. */
final class BadQuery extends RuntimeException {
  final JsonArray details;

  BadQuery(String field, String reason) {
    super(field + " " + reason, null, false, false);
    this.details = new JsonArray().add(new JsonObject().put("in", "query").put("field", field)
      .put("pointer", "/query/" + field).put("keyword", "value").put("reason", reason));
  }
}
