package io.junction.http.api;

import io.vertx.core.json.JsonObject;
import io.vertx.openapi.contract.OpenAPIContract;

/**
 * A contract document: its text as written (served as YAML), the same as plain JSON ($refs kept) and as parsed by
 * vertx-openapi.
 */
public record LoadedContract(String resource, String text, JsonObject json, OpenAPIContract contract) {
}
