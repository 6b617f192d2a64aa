package io.junction.http.api;

import io.junction.http.AdminApi;
import io.junction.http.AdminAuth;
import io.junction.http.HttpVerticle;
import io.junction.http.HttpWiring;
import io.junction.observability.Metrics;
import io.junction.testkit.ContractClient;
import io.junction.testkit.FreePorts;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.HealthChecks;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real HttpVerticle (two instances, like one per event loop) on free loopback ports with handlers wired in:
 * the test kit's Junction cannot take test-side AdminApis, and the identity module's are not written yet.
 * The gateway has no routes (every public request that is not a platform path falls through to the 404).
 */
final class ApiServer implements AutoCloseable {
  final Vertx vertx = Vertx.vertx();
  final int publicPort = FreePorts.next();
  final int adminPort = FreePorts.next();
  final Metrics metrics = new Metrics();

  private ApiServer() {
  }

  static ApiServer start(List<AdminApi> adminApis, AdminApi authApi, AdminAuth auth, long maxBodySize) {
    ApiServer server = new ApiServer();
    JsonObject http = new JsonObject()
      .put("public", new JsonObject().put("host", "127.0.0.1").put("port", server.publicPort))
      .put("admin", new JsonObject().put("host", "127.0.0.1").put("port", server.adminPort))
      .put("accessLog", false).put("maxHeaderSize", 65536).put("maxBodySize", maxBodySize);
    HttpWiring wiring = new HttpWiring((vertx, fallback, accessLog) -> fallback, server.metrics,
      HealthChecks.create(server.vertx), HealthChecks.create(server.vertx), withOtherModules(adminApis, server.vertx), authApi, auth);
    try {
      server.vertx.deployVerticle(() -> new HttpVerticle(http, Duration.ofSeconds(1), wiring), new DeploymentOptions().setInstances(2))
        .await(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      server.close();
      throw new IllegalStateException("HTTP verticle did not start: " + e.getMessage(), e);
    }
    return server;
  }

  /** The contract also holds other modules' operations (config): their real handlers, so every operation has one. */
  static List<AdminApi> withOtherModules(List<AdminApi> apis, Vertx vertx) {
    List<AdminApi> all = new java.util.ArrayList<>(apis);
    all.add(new io.junction.config.ConfigApi(vertx));
    return all;
  }

  static ApiServer start(InMemoryIdentity identity) {
    return start(List.of(identity.adminApi()), identity.authApi(), identity.auth(), 4096);
  }

  ContractClient admin() {
    return new ContractClient(vertx, adminPort, Contracts.ADMIN);
  }

  ContractClient platform() {
    return new ContractClient(vertx, publicPort, Contracts.AUTH);
  }

  @Override
  public void close() {
    try {
      vertx.close().await(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    } finally {
      metrics.close();
    }
  }
}
