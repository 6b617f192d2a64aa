package io.junction.config;

import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.TCPSSLOptions;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@code config.kubernetes.*} resolved against the pod's environment. The API server address follows the
 * vertx-config ConfigMap store's rule (it always prefers {@code KUBERNETES_SERVICE_HOST}/{@code _PORT} over its
 * own host keys), so the watch and the store never talk to two different servers. {@code writeBack} lets
 * {@code PUT /api/v1/config} write the ConfigMap (see ConfigMapWriter).
 */
public record KubernetesSettings(boolean enabled, String host, int port, boolean ssl, String namespace, String name,
                                 String key, String secretName, String secretKey, boolean watch, Path tokenFile,
                                 Path caFile, boolean writeBack) {
  static final String SERVICE_ACCOUNT_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";

  /** @param kube the {@code config.kubernetes} section; env the process environment */
  public static KubernetesSettings from(JsonObject kube, Map<String, String> env) {
    JsonObject k = kube == null ? new JsonObject() : kube;
    String host;
    int port;
    boolean ssl;
    String envHost = env.get("KUBERNETES_SERVICE_HOST");
    if (envHost != null && !envHost.isBlank()) {
      host = envHost;
      port = parsePort(env.get("KUBERNETES_SERVICE_PORT"), 443);
      ssl = true;
    } else {
      String apiServer = k.getString("apiServer", "");
      URI uri = URI.create(apiServer.isBlank() ? "https://kubernetes.default.svc" : apiServer);
      ssl = !"http".equalsIgnoreCase(uri.getScheme());
      host = uri.getHost();
      port = uri.getPort() > 0 ? uri.getPort() : ssl ? 443 : 80;
    }
    Path tokenFile = Path.of(k.getString("tokenFile", SERVICE_ACCOUNT_DIR + "/token"));
    return new KubernetesSettings(k.getBoolean("enabled", false), host, port, ssl, namespace(k, env), k.getString("name", "junction-config"),
      k.getString("key", "junction.yaml"), k.getString("secretName", ""), k.getString("secretKey", ""), k.getBoolean("watch", true),
      tokenFile, Path.of(k.getString("caFile", SERVICE_ACCOUNT_DIR + "/ca.crt")), k.getBoolean("writeBack", false));
  }

  /** The configured namespace, else KUBERNETES_NAMESPACE (Downward API), else the service account's, else default. */
  private static String namespace(JsonObject k, Map<String, String> env) {
    String configured = k.getString("namespace", "");
    if (!configured.isBlank()) {
      return configured;
    }
    String fromEnv = env.get("KUBERNETES_NAMESPACE");
    if (fromEnv != null && !fromEnv.isBlank()) {
      return fromEnv.trim();
    }
    try {
      return Files.readString(Path.of(SERVICE_ACCOUNT_DIR, "namespace"), StandardCharsets.UTF_8).trim();
    } catch (IOException | RuntimeException e) {
      return "default";
    }
  }

  private static int parsePort(String value, int fallback) {
    try {
      return value == null || value.isBlank() ? fallback : Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      return fallback;
    }
  }

  public boolean wholeMap() {
    return key.isBlank();
  }

  public boolean hasSecret() {
    return !secretName.isBlank();
  }

  /** How the sources are named in logs, the status and the history. */
  public String configMapSource() {
    return "configmap/" + namespace + "/" + name + (wholeMap() ? "" : "[" + key + "]");
  }

  public String secretSource() {
    return "secret/" + namespace + "/" + secretName + (secretKey.isBlank() ? "" : "[" + secretKey + "]");
  }

  public String baseUrl() {
    return (ssl ? "https" : "http") + "://" + host + ":" + port;
  }

  /**
   * TLS towards the API server on client options: the pod's CA bundle when it is readable; without one (outside a
   * pod) the server is trusted as the vertx-config store does. Plain options are returned as they are.
   */
  public <T extends TCPSSLOptions> T trust(T options) {
    if (!ssl) {
      return options;
    }
    options.setSsl(true);
    if (Files.isReadable(caFile)) {
      options.setTrustOptions(new PemTrustOptions().addCertPath(caFile.toString()));
    } else if (options instanceof HttpClientOptions h) {
      h.setTrustAll(true).setVerifyHost(false);
    } else if (options instanceof WebSocketClientOptions w) {
      w.setTrustAll(true).setVerifyHost(false);
    }
    return options;
  }
}
