package io.junction.http.api;

import io.junction.config.ConfigException;
import io.junction.config.YamlReader;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.JsonSchemaValidationException;
import io.vertx.openapi.contract.MediaType;
import io.vertx.openapi.contract.OpenAPIContract;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Loads the contract documents from the classpath. Each document is parsed once per Vert.x instance (one node),
 * not once per HTTP verticle: parsing and meta-schema validation cost tens of milliseconds.
 */
public final class Contracts {
  public static final String ADMIN = "openapi/junction-admin.yaml";
  public static final String AUTH = "openapi/junction-auth.yaml";

  private static final Map<Vertx, Map<String, Future<LoadedContract>>> LOADED = new WeakHashMap<>();

  private Contracts() {
  }

  /** The parsed document; a failed future carries a {@link ContractException} naming the file and the problem. */
  public static Future<LoadedContract> load(Vertx vertx, String resource) {
    synchronized (LOADED) {
      return LOADED.computeIfAbsent(vertx, v -> new HashMap<>()).computeIfAbsent(resource, r -> parse(vertx, r));
    }
  }

  /** Reads and parses a classpath document, without the cache. */
  public static Future<LoadedContract> parse(Vertx vertx, String resource) {
    String text;
    try {
      text = read(resource);
    } catch (IOException | RuntimeException e) {
      return Future.failedFuture(new ContractException("API contract " + resource + " cannot be read: " + e.getMessage(), e));
    }
    return parse(vertx, resource, text);
  }

  /** Parses a document's text; {@code resource} names it in errors. */
  public static Future<LoadedContract> parse(Vertx vertx, String resource, String text) {
    // Parse the text we read (not a path): the file resolver would prefer a same-named file in the working directory.
    return vertx.executeBlocking(() -> yaml(text, resource))
      .compose(json -> OpenAPIContract.from(vertx, forLibrary(json))
        .map(contract -> new LoadedContract(resource, text, json, contract)))
      .recover(err -> Future.failedFuture(err instanceof ContractException ? err
        : new ContractException("API contract " + resource + " is not a valid OpenAPI document: " + describe(err), err)));
  }

  /**
   * The document as vertx-openapi is given it: request media types it cannot parse (YAML, {@code application/merge-patch+json})
   * are left out, since it refuses a contract that declares them. {@link RequestCheck} still accepts them, from the
   * document as written, and has the body validated by the operation's {@code application/json} schema.
   */
  static JsonObject forLibrary(JsonObject json) {
    JsonObject copy = json.copy();
    JsonObject paths = copy.getJsonObject("paths", new JsonObject());
    for (String path : paths.fieldNames()) {
      if (!(paths.getValue(path) instanceof JsonObject item)) {
        continue;
      }
      for (String method : item.fieldNames()) {
        if (item.getValue(method) instanceof JsonObject op && op.getValue("requestBody") instanceof JsonObject body
          && body.getValue("content") instanceof JsonObject content) {
          content.fieldNames().removeIf(type -> !MediaType.isMediaTypeSupported(type));
        }
      }
    }
    return copy;
  }

  private static JsonObject yaml(String text, String resource) {
    try {
      return YamlReader.read(text, "API contract " + resource);
    } catch (ConfigException e) {
      throw new ContractException(e.getMessage(), e);
    }
  }

  private static String read(String resource) throws IOException {
    ClassLoader loader = Contracts.class.getClassLoader();
    try (InputStream in = loader.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IOException("not found on the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** The library's message plus the first schema violations it found, which say where the document is wrong. */
  static String describe(Throwable err) {
    StringBuilder text = new StringBuilder(String.valueOf(err.getMessage()));
    for (Throwable cause = err.getCause(); cause != null; cause = cause.getCause()) {
      if (cause instanceof JsonSchemaValidationException schema) {
        text.append(" (").append(schema.getMessage());
        if (schema.location() != null && !schema.location().isEmpty()) {
          text.append(" at ").append(schema.location());
        }
        text.append(')');
        break;
      } else if (cause.getMessage() != null && !text.toString().contains(cause.getMessage())) {
        text.append(": ").append(cause.getMessage());
      }
    }
    return text.toString();
  }

  static Buffer buffer(String text) {
    return Buffer.buffer(text.getBytes(StandardCharsets.UTF_8));
  }
}
