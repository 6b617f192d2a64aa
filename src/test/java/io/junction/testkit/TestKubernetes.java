package io.junction.testkit;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Kubernetes API server on loopback for the ConfigMap tests: fabric8's mock server in CRUD mode (a real HTTP
 * server that stores what is written and serves gets, lists and watches), behind a {@link TcpProxy} so a test
 * can make it go away, with a bearer-token check (only the current service-account token and the test's own
 * token pass, like a real server after a rotation) and injectable failures (answer 500 for a while).
 *
 * <pre>
 * try (TestKubernetes k8s = TestKubernetes.start()) {
 *   k8s.putConfigMap("junction-config", Map.of("junction.yaml", "gateway: {routes: []}"));
 *   JunctionTestKit.builder().env(k8s.env("junction-config")) ...
 * }
 * </pre>
 */
public final class TestKubernetes implements AutoCloseable {
  public static final String NAMESPACE = "junction";
  private static final String TEST_TOKEN = "test-client-token";

  private final KubernetesMockServer server;
  private final TcpProxy proxy;
  private final KubernetesClient client;
  private final Path dir;
  private final AtomicInteger tokenGeneration = new AtomicInteger(1);
  private volatile String podToken;
  private volatile int failStatus;
  private final AtomicInteger unauthorized = new AtomicInteger();
  private final AtomicInteger watches = new AtomicInteger();

  private TestKubernetes() throws Exception {
    dir = Files.createTempDirectory("junction-k8s");
    podToken = "pod-token-1";
    Files.writeString(tokenFile(), podToken);
    KubernetesCrudDispatcher crud = new KubernetesCrudDispatcher(List.of());
    Dispatcher guarded = new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
        String auth = request.getHeader("Authorization");
        if (!("Bearer " + TEST_TOKEN).equals(auth) && !("Bearer " + podToken).equals(auth)) {
          unauthorized.incrementAndGet();
          return status(401, "Unauthorized");
        }
        if (!("Bearer " + TEST_TOKEN).equals(auth) && failStatus > 0) {
          return status(failStatus, "injected failure");
        }
        if (request.getPath() != null && request.getPath().contains("watch=true")) {
          watches.incrementAndGet();
        }
        return crud.dispatch(request);
      }
    };
    server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), guarded, false);
    server.init(InetAddress.getLoopbackAddress(), 0);
    proxy = new TcpProxy(server.getPort());
    Config config = new ConfigBuilder(Config.empty()).withMasterUrl("http://127.0.0.1:" + server.getPort())
      .withOauthToken(TEST_TOKEN).withNamespace(NAMESPACE).withRequestTimeout(10_000).withConnectionTimeout(5_000).build();
    client = new KubernetesClientBuilder().withConfig(config).build();
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build()).create();
  }

  private static MockResponse status(int code, String message) {
    return new MockResponse().setResponseCode(code).setHeader("Content-Type", "application/json")
      .setBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"message\":\"" + message + "\",\"code\":" + code + "}");
  }

  public static TestKubernetes start() throws Exception {
    return new TestKubernetes();
  }

  /** The API server as Junction sees it (through the proxy a test can cut). */
  public String apiServer() {
    return "http://127.0.0.1:" + proxy.port();
  }

  public Path tokenFile() {
    return dir.resolve("token");
  }

  public KubernetesClient client() {
    return client;
  }

  /** JUNCTION_* variables pointing a test Junction at this server, the ConfigMap and (if not null) a Secret. */
  public Map<String, String> env(String configMap, String secret) {
    Map<String, String> env = new HashMap<>();
    env.put("JUNCTION_CONFIG_KUBERNETES_ENABLED", "true");
    env.put("JUNCTION_CONFIG_KUBERNETES_APISERVER", apiServer());
    env.put("JUNCTION_CONFIG_KUBERNETES_NAMESPACE", NAMESPACE);
    env.put("JUNCTION_CONFIG_KUBERNETES_NAME", configMap);
    env.put("JUNCTION_CONFIG_KUBERNETES_TOKENFILE", tokenFile().toString());
    env.put("JUNCTION_CONFIG_KUBERNETES_CAFILE", dir.resolve("no-ca.crt").toString());
    if (secret != null) {
      env.put("JUNCTION_CONFIG_KUBERNETES_SECRETNAME", secret);
    }
    return env;
  }

  /** Creates or replaces the ConfigMap with this data; returns its new resourceVersion. */
  public String putConfigMap(String name, Map<String, String> data) {
    ConfigMap map = new ConfigMapBuilder().withNewMetadata().withName(name).withNamespace(NAMESPACE).endMetadata().withData(data).build();
    return client.configMaps().inNamespace(NAMESPACE).resource(map).createOr(existing -> existing.update())
      .getMetadata().getResourceVersion();
  }

  public void deleteConfigMap(String name) {
    client.configMaps().inNamespace(NAMESPACE).withName(name).delete();
  }

  /** Creates or replaces a Secret (values given in clear; stored base64 as Kubernetes does). */
  public void putSecret(String name, Map<String, String> data) {
    Map<String, String> encoded = new HashMap<>();
    data.forEach((k, v) -> encoded.put(k, java.util.Base64.getEncoder().encodeToString(v.getBytes(java.nio.charset.StandardCharsets.UTF_8))));
    client.secrets().inNamespace(NAMESPACE).resource(new SecretBuilder().withNewMetadata().withName(name).withNamespace(NAMESPACE)
      .endMetadata().withData(encoded).build()).createOr(existing -> existing.update());
  }

  /** A new service-account token: written to the token file, and the old one refused from now on (401). */
  public void rotateToken() throws IOException {
    String next = "pod-token-" + tokenGeneration.incrementAndGet();
    Path tmp = dir.resolve("token.tmp");
    Files.writeString(tmp, next);
    Files.move(tmp, tokenFile(), java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    podToken = next;
  }

  /** From now on every request of Junction is answered with this status (0 = normal service again). */
  public void failWith(int status) {
    failStatus = status;
  }

  /** Drops every connection and refuses new ones, as a restarting API server does. */
  public void goAway() throws Exception {
    proxy.cut();
  }

  public void comeBack() throws Exception {
    proxy.restore();
  }

  public int unauthorizedAnswers() {
    return unauthorized.get();
  }

  public int watchRequests() {
    return watches.get();
  }

  @Override
  public void close() throws Exception {
    client.close();
    proxy.close();
    server.destroy();
  }
}
