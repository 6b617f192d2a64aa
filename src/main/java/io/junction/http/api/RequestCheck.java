package io.junction.http.api;

import io.junction.config.ConfigException;
import io.junction.config.YamlReader;
import io.junction.http.ApiError;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.Future;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.impl.RoutingContextInternal;
import io.vertx.ext.web.openapi.router.RequestExtractor;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.contract.Location;
import io.vertx.openapi.contract.MediaType;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Parameter;
import io.vertx.openapi.contract.RequestBody;
import io.vertx.openapi.validation.RequestValidator;
import io.vertx.openapi.validation.ValidatorException;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Validates a request against its operation before the handler runs: media type (415; where an operation takes
 * {@code text/plain}, YAML types count as it), JSON or YAML syntax (400),
 * query parameters the operation does not declare (400: vertx-openapi ignores them), then the library's schema
 * validation of parameters and body (400 with one detail per failing field). The validated request is left
 * on the context under {@link RouterBuilder#KEY_META_DATA_VALIDATED_REQUEST}. Media types the library cannot
 * parse but the document declares (YAML, {@code application/merge-patch+json}) are accepted here and handed on as
 * the equivalent JSON body, checked by the operation's {@code application/json} schema.
 */
final class RequestCheck implements Handler<RoutingContext> {
  private static final String TEXT = "text/plain";
  /** YAML under any of its names: taken as text by operations that take text and declare no YAML type. */
  private static final Set<String> YAML_NAMES = Set.of("application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml");
  private final Operation operation;
  private final RequestValidator validator;
  private final RequestExtractor extractor = RequestExtractor.withBodyHandler();
  private final Set<String> queryNames;
  private final Set<String> mediaTypes;
  /** Request media types read as YAML. */
  private static final Set<String> YAML = Set.of("application/yaml", "text/yaml");
  /** Context key: the Content-Type the client sent, when its body was handed on as JSON. */
  public static final String SENT_TYPE = "junction.sentContentType";

  /** @param declared the operation's request media types as the document declares them (more than the library knows) */
  RequestCheck(Operation operation, RequestValidator validator, Set<String> declared) {
    this.operation = operation;
    this.validator = validator;
    this.queryNames = operation.getParameters().stream().filter(p -> p.getIn() == Location.QUERY)
      .map(Parameter::getName).collect(Collectors.toCollection(TreeSet::new));
    this.mediaTypes = declared.stream().map(t -> t.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
  }

  @Override
  public void handle(RoutingContext ctx) {
    JsonArray unknown = new JsonArray();
    for (String name : ctx.queryParams().names()) {
      if (!queryNames.contains(name)) {
        unknown.add(ErrorDetails.parameter("query", name, "unknown", queryNames.isEmpty()
          ? "this operation takes no query parameters" : "is not a parameter of this operation; known: " + String.join(", ", queryNames)));
      }
    }
    if (!unknown.isEmpty()) {
      invalid(ctx, unknown);
      return;
    }
    if (!bodyAcceptable(ctx)) {
      return;
    }
    Future<io.vertx.openapi.validation.ValidatableRequest> extracted;
    try {
      extracted = extractor.extractValidatableRequest(ctx, operation);
    } catch (ValidatorException e) {
      // The library throws (not fails) on values it cannot decode, such as a malformed %-escape in the query.
      extracted = Future.failedFuture(e);
    }
    extracted
      .compose(request -> validator.validate(request, operation.getOperationId()))
      .onSuccess(validated -> {
        ctx.put(RouterBuilder.KEY_META_DATA_VALIDATED_REQUEST, validated);
        ctx.next();
      })
      .onFailure(err -> {
        if (err instanceof ValidatorException invalid) {
          invalid(ctx, ValidationDetails.of(invalid));
        } else {
          ctx.fail(err);
        }
      });
  }

  /** Media type and JSON syntax, which the library reports only as opaque failures; false when answered. */
  private boolean bodyAcceptable(RoutingContext ctx) {
    RequestBody declared = operation.getRequestBody();
    if (declared == null) {
      return true;
    }
    Buffer body = ctx.body() == null ? null : ctx.body().buffer();
    boolean present = body != null && body.length() > 0;
    String contentType = ctx.request().getHeader("Content-Type");
    if (!present && contentType == null) {
      if (declared.isRequired()) {
        invalid(ctx, new JsonArray().add(ErrorDetails.body("", "required", "a JSON body is required")));
        return false;
      }
      return true;
    }
    String expected = String.join(" or ", new TreeSet<>(mediaTypes));
    if (contentType == null) {
      ApiError.send(ctx.response(), 415, "unsupported_media_type", "Content-Type is missing; send " + expected, null);
      return false;
    }
    String[] parts = contentType.split(";");
    String essence = parts[0].trim().toLowerCase(Locale.ROOT);
    if (YAML_NAMES.contains(essence) && mediaTypes.contains(TEXT) && !mediaTypes.contains(essence)) {
      // vertx-openapi knows no YAML media type: an operation that takes text takes YAML under its own names, as text.
      int params = contentType.indexOf(';');
      ctx.request().headers().set("Content-Type", params < 0 ? TEXT : TEXT + contentType.substring(params));
      essence = TEXT;
    }
    if (!mediaTypes.contains(essence) || !utf8(parts)) {
      ApiError.send(ctx.response(), 415, "unsupported_media_type", "Content-Type must be " + expected + ", not " + contentType.trim(), null);
      return false;
    }
    if (!present) {
      if (declared.isRequired()) {
        invalid(ctx, new JsonArray().add(ErrorDetails.body("", "required", "a JSON body is required")));
        return false;
      }
      return true;
    }
    if (YAML.contains(essence)) {
      return yamlAsJson(ctx, body);
    }
    if (essence.endsWith("json")) {
      try {
        Json.decodeValue(body);
      } catch (DecodeException e) {
        invalid(ctx, new JsonArray().add(ErrorDetails.body("", "syntax", "malformed JSON: " + firstLine(e.getMessage()))));
        return false;
      }
      if (!MediaType.isMediaTypeSupported(essence)) {
        asJson(ctx, body, essence); // application/merge-patch+json: a JSON document, checked by the JSON schema
      }
    }
    return true;
  }

  /**
   * A YAML body (a mapping) becomes the equivalent JSON body, so the schema of the operation's
   * {@code application/json} entry checks it, naming fields as for JSON, and handlers read JSON either way.
   */
  private static boolean yamlAsJson(RoutingContext ctx, Buffer body) {
    JsonObject json;
    try {
      json = YamlReader.read(body.toString(StandardCharsets.UTF_8), "the request body");
    } catch (ConfigException e) {
      invalid(ctx, new JsonArray().add(ErrorDetails.body("", "syntax", "malformed YAML: " + firstLine(e.getMessage()))));
      return false;
    }
    asJson(ctx, json.toBuffer(), ctx.request().getHeader("Content-Type"));
    return true;
  }

  /** Hands on {@code json} as an application/json body; the type sent stays readable under {@link #SENT_TYPE}. */
  private static void asJson(RoutingContext ctx, Buffer json, String sent) {
    ctx.put(SENT_TYPE, sent);
    ((RoutingContextInternal) ctx).setBody(json);
    ctx.request().headers().set("Content-Type", "application/json");
  }

  /** JSON is UTF-8 (RFC 8259); a charset parameter, if any, must say so. */
  private static boolean utf8(String[] parts) {
    for (int i = 1; i < parts.length; i++) {
      String p = parts[i].trim().toLowerCase(Locale.ROOT);
      if (p.startsWith("charset=") && !p.substring(8).replace("\"", "").equals("utf-8")) {
        return false;
      }
    }
    return true;
  }

  private static String firstLine(String message) {
    String text = message == null ? "" : message.replace("Failed to decode:", "").trim();
    int nl = text.indexOf('\n');
    text = nl >= 0 ? text.substring(0, nl) : text;
    return text.length() > 200 ? text.substring(0, 200) + "..." : text;
  }

  static void invalid(RoutingContext ctx, JsonArray details) {
    ApiError.send(ctx.response(), 400, "invalid_request", summary(details), details);
  }

  /** "invalid request: email: String does not match format "email" (and 2 more problems)". */
  private static String summary(JsonArray details) {
    if (details.isEmpty()) {
      return "invalid request";
    }
    String text = "invalid request: " + details.getJsonObject(0).getString("field") + ": " + details.getJsonObject(0).getString("reason");
    int more = details.size() - 1;
    if (more > 0) {
      text += " (and " + more + " more problem" + (more == 1 ? "" : "s") + ")";
    }
    return text.length() > 1900 ? text.substring(0, 1900) + "..." : text;
  }
}
