package io.junction.http.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Renders docs/admin-api.md from the two contract documents: one section per operation. */
final class AdminApiDocs {
  private static final List<String> METHODS = List.of("get", "post", "put", "delete", "patch");

  private AdminApiDocs() {
  }

  static String render(JsonObject admin, JsonObject auth) {
    StringBuilder md = new StringBuilder();
    md.append("# Admin API reference\n\n")
      .append("<!-- Generated from src/main/resources/openapi/*.yaml by AdminApiDocsTest; do not edit by hand.\n")
      .append("     Regenerate: mvn -Dtest=AdminApiDocsTest -Djunction.regenerateDocs=true test -->\n\n")
      .append("The contract is `src/main/resources/openapi/junction-admin.yaml` (admin listener, `:8081`) and\n")
      .append("`src/main/resources/openapi/junction-auth.yaml` (public listener, `:8080`). A running Junction serves the\n")
      .append("admin one at `GET /api/v1/openapi.yaml` and `GET /api/v1/openapi.json`.\n\n")
      .append("Errors are `{\"error\", \"message\", \"details\", \"requestId\"}`. For `invalid_request` (400), `details` has one\n")
      .append("entry per problem: `{\"in\": \"body|query|path|header\", \"field\": \"roles[1]\", \"pointer\": \"/body/roles/1\",\n")
      .append("\"keyword\": \"pattern\", \"reason\": \"...\"}`. Requests are checked in this order: token (401), permission\n")
      .append("(403), media type (415), then parameters and body (400); unknown JSON fields and query parameters are refused.\n\n");
    section(md, admin, "Admin API (`:8081`)", "http://localhost:8081", true);
    section(md, auth, "Platform endpoints (`:8080`)", "http://localhost:8080", false);
    schemas(md, admin, "Admin API schemas");
    schemas(md, auth, "Platform endpoint schemas");
    return md.toString();
  }

  private static void section(StringBuilder md, JsonObject doc, String title, String server, boolean globalSecurity) {
    md.append("## ").append(title).append("\n\n");
    JsonObject paths = doc.getJsonObject("paths");
    for (String path : paths.fieldNames()) {
      JsonObject item = paths.getJsonObject(path);
      for (String method : METHODS) {
        JsonObject op = item.getJsonObject(method);
        if (op != null) {
          operation(md, doc, path, method, item, op, server, globalSecurity);
        }
      }
    }
  }

  private static void operation(StringBuilder md, JsonObject doc, String path, String method, JsonObject item, JsonObject op,
                                String server, boolean globalSecurity) {
    md.append("### `").append(op.getString("operationId")).append("`: ").append(op.getString("summary")).append("\n\n");
    md.append("`").append(method.toUpperCase()).append(' ').append(path).append("`\n\n");
    boolean secured = op.containsKey("security") ? !op.getJsonArray("security").isEmpty() : globalSecurity;
    String permission = op.getString("x-permission");
    md.append("- Auth: ").append(!secured ? "none" : permission == null ? "bearer token (any authenticated user)"
      : "bearer token with permission `" + permission + "`").append('\n');
    if (op.getString("description") != null) {
      md.append("- ").append(op.getString("description").trim().replace("\n", " ")).append('\n');
    }
    JsonArray parameters = new JsonArray();
    item.getJsonArray("parameters", new JsonArray()).forEach(parameters::add);
    op.getJsonArray("parameters", new JsonArray()).forEach(parameters::add);
    if (!parameters.isEmpty()) {
      md.append("- Parameters:\n");
      for (Object p : parameters) {
        JsonObject param = deref(doc, (JsonObject) p);
        md.append("  - `").append(param.getString("name")).append("` (").append(param.getString("in"))
          .append(param.getBoolean("required", false) ? ", required" : "").append("): ").append(schemaText(doc, param.getJsonObject("schema")));
        if (param.getString("description") != null) {
          md.append(". ").append(param.getString("description").trim());
        }
        md.append('\n');
      }
    }
    JsonObject body = op.getJsonObject("requestBody");
    Object example = null;
    if (body != null) {
      JsonObject media = body.getJsonObject("content").getJsonObject("application/json");
      md.append("- Request body (`application/json`): ").append(schemaText(doc, media.getJsonObject("schema"))).append('\n');
      example = media.getValue("example");
    }
    md.append("- Responses:\n");
    Map<String, Object> responses = new TreeMap<>(op.getJsonObject("responses").getMap());
    for (String status : responses.keySet()) {
      JsonObject response = deref(doc, op.getJsonObject("responses").getJsonObject(status));
      md.append("  - ").append(status).append(": ").append(response.getString("description", "").trim().replace("\n", " "));
      JsonObject content = response.getJsonObject("content");
      if (content != null && content.getJsonObject("application/json") != null) {
        md.append(" (").append(schemaText(doc, content.getJsonObject("application/json").getJsonObject("schema"))).append(')');
      }
      JsonObject headers = response.getJsonObject("headers");
      if (headers != null) {
        md.append("; headers: ").append(String.join(", ", headers.fieldNames().stream().sorted().toList()));
      }
      md.append('\n');
    }
    md.append("\n```sh\ncurl -sS");
    if (!method.equals("get")) {
      md.append(" -X ").append(method.toUpperCase());
    }
    if (secured) {
      md.append(" -H \"Authorization: Bearer $TOKEN\"");
    }
    if (example != null) {
      md.append(" -H 'Content-Type: application/json' -d '").append(io.vertx.core.json.Json.encode(example)).append('\'');
    }
    md.append(' ').append(server).append(path.replaceAll("\\{id}", "\\$ID").replaceAll("\\{keyId}", "\\$KEY_ID")).append("\n```\n\n");
  }

  private static void schemas(StringBuilder md, JsonObject doc, String title) {
    md.append("## ").append(title).append("\n\n");
    JsonObject schemas = doc.getJsonObject("components").getJsonObject("schemas");
    for (String name : schemas.fieldNames()) {
      JsonObject schema = schemas.getJsonObject(name);
      md.append("### `").append(name).append("`\n\n");
      JsonObject properties = schema.getJsonObject("properties");
      if (properties == null) {
        md.append(schemaText(doc, schema)).append("\n\n");
        continue;
      }
      List<?> required = schema.getJsonArray("required", new JsonArray()).getList();
      for (String property : properties.fieldNames()) {
        JsonObject p = properties.getJsonObject(property);
        md.append("- `").append(property).append("`").append(required.contains(property) ? " (required)" : "").append(": ");
        if ("array".equals(p.getValue("type"))) {
          md.append("array of ").append(schemaText(doc, p.getJsonObject("items")));
          for (String key : List.of("minItems", "maxItems")) {
            if (p.containsKey(key)) {
              md.append(", ").append(key).append(' ').append(p.getValue(key));
            }
          }
        } else {
          md.append(schemaText(doc, p));
        }
        md.append('\n');
      }
      md.append(Boolean.FALSE.equals(schema.getValue("additionalProperties")) ? "- no other fields\n\n" : "\n");
    }
  }

  private static JsonObject deref(JsonObject doc, JsonObject node) {
    String ref = node.getString("$ref");
    if (ref == null) {
      return node;
    }
    Object target = doc;
    for (String segment : ref.substring(2).split("/")) {
      target = ((JsonObject) target).getValue(segment);
    }
    return (JsonObject) target;
  }

  private static String schemaText(JsonObject doc, JsonObject schema) {
    if (schema == null) {
      return "any";
    }
    String ref = schema.getString("$ref");
    if (ref != null) {
      return "`" + ref.substring(ref.lastIndexOf('/') + 1) + "`";
    }
    StringBuilder text = new StringBuilder(String.valueOf(schema.getValue("type")));
    for (String key : List.of("format", "enum", "minimum", "maximum", "default", "minLength", "maxLength", "pattern")) {
      if (schema.containsKey(key)) {
        text.append(", ").append(key).append(' ').append(schema.getValue(key));
      }
    }
    return text.toString();
  }
}
