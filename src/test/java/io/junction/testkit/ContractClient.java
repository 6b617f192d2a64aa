package io.junction.testkit;

import io.junction.http.api.Contracts;
import io.junction.http.api.LoadedContract;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputFormat;
import io.vertx.json.schema.SchemaRepository;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.Validator;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.validation.ResponseValidator;
import io.vertx.openapi.validation.SchemaValidationException;
import io.vertx.openapi.validation.ValidatableResponse;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * An HTTP client for a running Junction that checks every response against the contract: the status must be
 * one the operation declares, and headers and body must match its schema. A mismatch fails the test with an
 * AssertionError, so the contract cannot drift from what the handlers really send.
 *
 * <pre>
 * ContractClient client = ContractClient.admin(kit);
 * ContractClient.Response created = client.post("/api/v1/users").bearer(token)
 *   .json(new JsonObject().put("email", "ada@example.com").put("password", "pw")).send();
 * assertThat(created.status()).isEqualTo(201);
 * assertThat(created.json().getString("email")).isEqualTo("ada@example.com");
 * </pre>
 *
 * Requests no operation matches (404, 405) must still answer the Error schema.
 */
public final class ContractClient implements AutoCloseable {
  private final Vertx vertx;
  private final WebClient web;
  private final LoadedContract contract;
  private final ResponseValidator validator;
  private final Validator errorValidator;

  public ContractClient(Vertx vertx, int port, String contractResource) {
    this.vertx = vertx;
    this.web = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port)
      .setFollowRedirects(false).setKeepAlive(true));
    this.contract = Contracts.parse(vertx, contractResource).await();
    this.validator = ResponseValidator.create(vertx, contract.contract());
    this.errorValidator = schemaValidator(contract, "/components/schemas/Error");
  }

  /** Against the admin listener of a test kit's Junction, checked against openapi/junction-admin.yaml. */
  public static ContractClient admin(JunctionTestKit kit) {
    return new ContractClient(kit.vertx(), kit.adminPort(), Contracts.ADMIN);
  }

  /** Against the public listener's platform endpoints, checked against openapi/junction-auth.yaml. */
  public static ContractClient platform(JunctionTestKit kit) {
    return new ContractClient(kit.vertx(), kit.publicPort(), Contracts.AUTH);
  }

  /**
   * A draft 2020-12 validator for the schema at a JSON pointer of the document (its $refs into the document
   * resolve), e.g. "/components/schemas/User".
   */
  public static Validator schemaValidator(LoadedContract contract, String pointer) {
    String base = "https://junction.test/" + contract.resource();
    // The repository indexes only the places it knows as schemas (not, e.g., a parameter's); so the target
    // schema is copied under $defs of a copy of the document, where its own $refs still resolve.
    JsonObject document = contract.json().copy();
    Object target = document;
    for (String segment : pointer.substring(1).split("/")) {
      String key = segment.replace("~1", "/").replace("~0", "~");
      target = target instanceof JsonArray array ? array.getValue(Integer.parseInt(key)) : ((JsonObject) target).getValue(key);
    }
    if (!(target instanceof JsonObject schema)) {
      throw new IllegalArgumentException("no schema at " + pointer + " in " + contract.resource());
    }
    document.put("$defs", new JsonObject().put("target", schema.copy()));
    SchemaRepository repository = SchemaRepository.create(new JsonSchemaOptions().setDraft(Draft.DRAFT202012)
      .setBaseUri(base).setOutputFormat(OutputFormat.Basic));
    repository.dereference(base, JsonSchema.of(document));
    return repository.validator(JsonSchema.of(new JsonObject().put("$ref", base + "#/$defs/target")));
  }

  public LoadedContract contract() {
    return contract;
  }

  public Request get(String uri) {
    return new Request(HttpMethod.GET, uri);
  }

  public Request post(String uri) {
    return new Request(HttpMethod.POST, uri);
  }

  public Request put(String uri) {
    return new Request(HttpMethod.PUT, uri);
  }

  public Request delete(String uri) {
    return new Request(HttpMethod.DELETE, uri);
  }

  public Request request(HttpMethod method, String uri) {
    return new Request(method, uri);
  }

  @Override
  public void close() {
    web.close();
  }

  /** A response that passed the contract check. */
  public record Response(int status, MultiMap headers, Buffer body) {
    public String header(String name) {
      return headers.get(name);
    }

    public String text() {
      return body == null ? "" : body.toString();
    }

    /** The body as a JSON object (errors included). */
    public JsonObject json() {
      return body == null || body.length() == 0 ? null : new JsonObject(body);
    }

    /** For an error: its {@code error} code. */
    public String error() {
      JsonObject json = json();
      return json == null ? null : json.getString("error");
    }
  }

  public final class Request {
    private final HttpMethod method;
    private final String uri;
    private final MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    private Buffer body;

    private Request(HttpMethod method, String uri) {
      this.method = method;
      this.uri = uri;
    }

    public Request bearer(String token) {
      return header("Authorization", "Bearer " + token);
    }

    public Request header(String name, String value) {
      headers.set(name, value);
      return this;
    }

    /** A JSON body (object, array or any value) with Content-Type application/json. */
    public Request json(Object value) {
      headers.set("Content-Type", "application/json");
      body = Buffer.buffer(io.vertx.core.json.Json.encode(value));
      return this;
    }

    /** Raw bytes with the given Content-Type (null: no Content-Type header), for malformed-input tests. */
    public Request body(String contentType, String raw) {
      if (contentType == null) {
        headers.remove("Content-Type");
      } else {
        headers.set("Content-Type", contentType);
      }
      body = Buffer.buffer(raw);
      return this;
    }

    /** Sends, waits up to 30 s, checks the response against the contract and returns it. */
    public Response send() {
      HttpRequest<Buffer> request = web.request(method, uri).putHeaders(headers).timeout(30_000);
      HttpResponse<Buffer> response;
      try {
        response = (body == null ? request.send() : request.sendBuffer(body)).await(35, TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new AssertionError(method + " " + uri + " failed: " + e, e);
      }
      Response result = new Response(response.statusCode(), response.headers(), response.body());
      check(result);
      return result;
    }

    private void check(Response response) {
      String path = uri.contains("?") ? uri.substring(0, uri.indexOf('?')) : uri;
      Operation op = contract.contract().findOperation(path, method);
      String where = method + " " + uri + " → " + response.status();
      if (op == null) {
        if (response.status() != 404 && response.status() != 405) {
          throw new AssertionError(where + ": no operation in " + contract.resource() + " matches, yet the answer is not 404/405");
        }
        checkError(where, response);
        return;
      }
      Map<String, String> headerMap = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      response.headers().forEach(e -> headerMap.putIfAbsent(e.getKey(), e.getValue()));
      String contentType = response.header("Content-Type");
      // Bodies the contract gives no media type for (the YAML document) are checked by status and headers only.
      boolean described = op.getResponse(response.status()) != null && !op.getResponse(response.status()).getContent().isEmpty();
      ValidatableResponse validatable = response.body() != null && response.body().length() > 0 && described
        ? ValidatableResponse.create(response.status(), headerMap, response.body(), contentType)
        : ValidatableResponse.create(response.status(), headerMap);
      try {
        validator.validate(validatable, op.getOperationId()).await(10, TimeUnit.SECONDS);
      } catch (SchemaValidationException e) {
        throw new AssertionError(where + " (" + op.getOperationId() + ") breaks the contract: " + e.getMessage()
          + "\n" + e.getOutputUnit().toJson().encodePrettily() + "\nbody: " + response.text());
      } catch (Exception e) {
        throw new AssertionError(where + " (" + op.getOperationId() + ") breaks the contract: " + e.getMessage() + "\nbody: " + response.text(), e);
      }
    }

    private void checkError(String where, Response response) {
      OutputUnit result;
      try {
        result = errorValidator.validate(response.json());
      } catch (Exception e) {
        throw new AssertionError(where + ": the body is not an Error: " + e.getMessage() + "\nbody: " + response.text(), e);
      }
      if (!Boolean.TRUE.equals(result.getValid())) {
        throw new AssertionError(where + ": the body is not an Error: " + result.toJson().encode() + "\nbody: " + response.text());
      }
    }
  }
}
