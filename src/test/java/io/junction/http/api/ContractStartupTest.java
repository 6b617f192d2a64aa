package io.junction.http.api;

import io.junction.http.AdminApi;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A broken document or a handler the contract does not know stops the HTTP module with a message that says why. */
class ContractStartupTest {
  static Vertx vertx;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
  }

  @Test
  void yamlSyntaxErrorNamesFileAndLine() {
    assertThatThrownBy(() -> Contracts.parse(vertx, "openapi/broken.yaml", "openapi: 3.1.0\ninfo: {title: x\n").await(30, TimeUnit.SECONDS))
      .isInstanceOf(ContractException.class)
      .hasMessageContaining("openapi/broken.yaml").hasMessageContaining("line");
  }

  @Test
  void documentThatIsNotOpenApiIsRefused() {
    String text = "openapi: 3.1.0\ninfo: {title: x}\npaths:\n  /a:\n    get:\n      operationId: a\n      responses: {'200': 12}\n";
    assertThatThrownBy(() -> Contracts.parse(vertx, "openapi/broken.yaml", text).await(30, TimeUnit.SECONDS))
      .isInstanceOf(ContractException.class)
      .hasMessageStartingWith("API contract openapi/broken.yaml is not a valid OpenAPI document: ");
  }

  @Test
  void unsupportedVersionIsRefused() {
    assertThatThrownBy(() -> Contracts.parse(vertx, "openapi/old.yaml", "swagger: '2.0'\ninfo: {title: x, version: '1'}\npaths: {}\n").await(30, TimeUnit.SECONDS))
      .isInstanceOf(ContractException.class).hasMessageContaining("openapi/old.yaml");
  }

  @Test
  void handlerForAnUnknownOperationStopsTheHttpModule() {
    InMemoryIdentity identity = new InMemoryIdentity();
    AdminApi stray = () -> Map.of("exportEverything", RoutingContext::next);
    assertThatThrownBy(() -> ApiServer.start(List.of(identity.adminApi(), stray), identity.authApi(), identity.auth(), 4096))
      .hasMessageContaining("HTTP verticle did not start")
      .hasMessageContaining("API contract openapi/junction-admin.yaml does not match the code")
      .hasMessageContaining("exportEverything");
  }
}
