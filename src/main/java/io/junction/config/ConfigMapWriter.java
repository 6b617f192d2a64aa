package io.junction.config;

import io.junction.http.ApiProblem;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemTrustOptions;

import java.nio.file.Files;

/**
 * Writes one YAML document into the ConfigMap's key through the Kubernetes API: a JSON merge patch that sets
 * {@code data.<key>} and carries the resourceVersion the caller read. The API server applies it only while the
 * map is still at that version and answers 409 Conflict otherwise, so two writers never overwrite each other;
 * the map's other keys, labels and annotations stay. Failures come back as {@link ApiProblem}s (412 for a
 * stale version, 502 for a refusal of the API server, 503 when it is down or failing), never as anything else.
 * A 401 reads the service-account token file again (projected tokens rotate) and tries once more.
 */
final class ConfigMapWriter {
  /** The RBAC verb of the write (k8s/writeback/ grants it for the one ConfigMap). */
  static final String RBAC_VERB = "patch";
  /** What the API server stores in one ConfigMap at most (etcd's object limit), the document included. */
  static final int MAX_DOCUMENT_BYTES = 1024 * 1024 - 4096;

  private record Answer(int status, Buffer body) {
  }

  private final KubernetesSettings kube;
  private final ServiceAccountToken token;
  private final HttpClient http;

  ConfigMapWriter(Vertx vertx, KubernetesSettings kube) {
    this.kube = kube;
    this.token = new ServiceAccountToken(vertx, kube.tokenFile());
    HttpClientOptions options = new HttpClientOptions().setDefaultHost(kube.host()).setDefaultPort(kube.port())
      .setConnectTimeout(5_000).setIdleTimeout(30).setName("junction-kubernetes-write");
    if (kube.ssl()) {
      options.setSsl(true);
      if (Files.isReadable(kube.caFile())) {
        options.setTrustOptions(new PemTrustOptions().addCertPath(kube.caFile().toString()));
      } else {
        options.setTrustAll(true).setVerifyHost(false); // no CA bundle (outside a pod): as the watch and the store do
      }
    }
    this.http = vertx.createHttpClient(options);
  }

  private String path() {
    return "/api/v1/namespaces/" + kube.namespace() + "/configmaps/" + kube.name();
  }

  private String map() {
    return kube.namespace() + "/" + kube.name();
  }

  /** Sets the key to {@code yaml} if the map is at {@code resourceVersion}; completes with the new resourceVersion. */
  Future<String> write(String resourceVersion, String yaml) {
    JsonObject patch = new JsonObject()
      .put("metadata", new JsonObject().put("resourceVersion", resourceVersion))
      .put("data", new JsonObject().put(kube.key(), yaml));
    Buffer body = patch.toBuffer();
    return withToken(() -> send(HttpMethod.PATCH, "application/merge-patch+json", body)).map(answer -> {
      if (answer.status() / 100 == 2) { // 200 from Kubernetes; fabric8's mock answers 202
        String next = version(answer.body());
        if (next == null) {
          throw new ApiProblem(502, "bad_gateway", "the Kubernetes API server answered the write of ConfigMap " + map()
            + " without a resourceVersion; read GET /api/v1/config/status to see whether it arrived", null);
        }
        return next;
      }
      switch (answer.status()) {
        case 409 -> throw ApiProblem.stale("the ConfigMap " + map() + " changed since you read it (it is no longer at resourceVersion \""
          + resourceVersion + "\"): read GET /api/v1/config again and redo your change; nothing was written");
        case 404 -> throw ApiProblem.stale("the ConfigMap " + map() + " does not exist (deleted?): nothing was written; create it with kubectl");
        default -> throw refused(answer, "patch");
      }
    });
  }

  /** The map's resourceVersion now, read from the API server (when the watch has not told it). */
  Future<String> resourceVersion() {
    return withToken(() -> send(HttpMethod.GET, null, null)).map(answer -> {
      if (answer.status() == 200) {
        return version(answer.body());
      }
      if (answer.status() == 404) {
        return null;
      }
      throw refused(answer, "get");
    });
  }

  private Future<Answer> withToken(java.util.function.Supplier<Future<Answer>> call) {
    Future<?> ready = token.current().isEmpty() ? token.reload() : Future.succeededFuture();
    return ready.compose(v -> call.get()).compose(answer -> answer.status() == 401
      ? token.reload().compose(changed -> changed ? call.get() : Future.succeededFuture(answer))
      : Future.succeededFuture(answer));
  }

  private Future<Answer> send(HttpMethod method, String contentType, Buffer body) {
    RequestOptions options = new RequestOptions().setMethod(method).setURI(path()).setTimeout(10_000)
      .putHeader("Authorization", "Bearer " + token.current()).putHeader("Accept", "application/json");
    if (contentType != null) {
      options.putHeader("Content-Type", contentType);
    }
    return http.request(options)
      .compose(req -> (body == null ? req.send() : req.send(body)).compose(resp -> resp.body().map(b -> new Answer(resp.statusCode(), b))))
      .recover(err -> Future.failedFuture(err instanceof ApiProblem ? err : ApiProblem.unavailable("the Kubernetes API server at "
        + kube.baseUrl() + " cannot be reached (" + (err.getMessage() == null ? err.getClass().getSimpleName() : err.getMessage())
        + "): the ConfigMap " + map() + " was not updated, try again")));
  }

  private static String version(Buffer body) {
    try {
      return body.toJsonObject().getJsonObject("metadata", new JsonObject()).getString("resourceVersion");
    } catch (RuntimeException e) {
      return null; // not a ConfigMap
    }
  }

  /** A non-success answer: 5xx means the API server is failing (503, try again); anything else is a refusal (502). */
  private ApiProblem refused(Answer answer, String verb) {
    String status = answer.status() + reason(answer.body());
    if (answer.status() >= 500) {
      return ApiProblem.unavailable("the Kubernetes API server failed the " + verb + " of ConfigMap " + map() + " (" + status
        + "): it was not updated, try again");
    }
    String hint = switch (answer.status()) {
      case 401 -> ": it does not accept the service-account token (" + kube.tokenFile() + ")";
      case 403 -> ": the service account may not " + verb + " it; with write-back, apply k8s/writeback/ (RBAC)";
      default -> "";
    };
    return new ApiProblem(502, "bad_gateway", "the Kubernetes API server refused the " + verb + " of ConfigMap " + map()
      + " (" + status + ")" + hint + "; nothing was written", null);
  }

  /** The message of a Kubernetes Status body, if there is one. */
  private static String reason(Buffer body) {
    try {
      String message = body == null || body.length() == 0 ? null : body.toJsonObject().getString("message");
      return message == null || message.isBlank() ? "" : ": " + (message.length() > 300 ? message.substring(0, 297) + "..." : message);
    } catch (RuntimeException e) {
      return "";
    }
  }
}
