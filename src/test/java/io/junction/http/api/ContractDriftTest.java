package io.junction.http.api;

import io.junction.http.AdminApi;
import io.junction.http.HttpWiring;
import io.junction.observability.Metrics;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.openapi.contract.Operation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The contract and the code agree: every admin route has an operation, every operation a handler. Modules
 * check their real AdminApis the same way: {@code ContractDrift.problems(contract, apis, ContractDrift.servedByHttp())}
 * must be empty, and {@code ContractDrift.routesWithoutOperation(router, "/api/v1/")} too.
 */
class ContractDriftTest {
  static Vertx vertx;
  static Metrics metrics;
  static LoadedContract admin;
  static LoadedContract auth;
  static InMemoryIdentity identity;

  @BeforeAll
  static void load() throws Exception {
    vertx = Vertx.vertx();
    metrics = new Metrics();
    admin = Contracts.parse(vertx, Contracts.ADMIN).await(30, TimeUnit.SECONDS);
    auth = Contracts.parse(vertx, Contracts.AUTH).await(30, TimeUnit.SECONDS);
    identity = new InMemoryIdentity();
  }

  @AfterAll
  static void close() {
    metrics.close();
    vertx.close().await();
  }

  @Test
  void everyOperationHasAHandler() {
    assertThat(ContractDrift.problems(admin.contract(), ApiServer.withOtherModules(List.of(identity.adminApi()), vertx), ContractDrift.servedByHttp())).isEmpty();
    assertThat(ContractDrift.problems(auth.contract(), List.of(identity.authApi()), Set.of())).isEmpty();
  }

  @Test
  void everyAdminRouteHasAnOperation() {
    Router router = AdminRouter.create(vertx, http(), wiring(ApiServer.withOtherModules(List.of(identity.adminApi()), vertx)), admin);
    assertThat(ContractDrift.routesWithoutOperation(router, AdminRouter.API_PREFIX)).isEmpty();
    // Every operation is routed, once.
    long routed = router.getRoutes().stream().filter(r -> r.getMetadata(io.vertx.ext.web.openapi.router.RouterBuilder.KEY_META_DATA_OPERATION) != null).count();
    assertThat(routed).isEqualTo(admin.contract().operations().size());
  }

  @Test
  void aRouteOutsideTheContractIsReported() {
    Router router = AdminRouter.create(vertx, http(), wiring(ApiServer.withOtherModules(List.of(identity.adminApi()), vertx)), admin);
    router.get("/api/v1/backdoor").handler(ctx -> ctx.end());
    assertThat(ContractDrift.routesWithoutOperation(router, AdminRouter.API_PREFIX)).containsExactly("[GET] /api/v1/backdoor");
  }

  @Test
  void missingUnknownAndDuplicateHandlersAreNamed() {
    Map<String, Handler<RoutingContext>> partial = new HashMap<>(identity.adminApi().operations());
    partial.remove("getUser");
    partial.remove("listRoles");
    partial.put("getUsr", RoutingContext::next);
    AdminApi dup = () -> Map.of("getMe", RoutingContext::next);
    List<String> problems = ContractDrift.problems(admin.contract(), ApiServer.withOtherModules(List.of(() -> partial, dup), vertx), ContractDrift.servedByHttp());
    assertThat(problems).containsExactly(
      "operations without a handler: getUser, listRoles",
      "handlers for operations the contract does not have: getUsr",
      "operations with more than one handler: getMe");
  }

  @Test
  void buildingTheRouterIsStrict() {
    AdminApi onlyMe = () -> Map.of("getMe", RoutingContext::next);
    assertThatThrownBy(() -> AdminRouter.create(vertx, http(), wiring(List.of(onlyMe)), admin))
      .isInstanceOf(ContractException.class)
      .hasMessageStartingWith("API contract openapi/junction-admin.yaml does not match the code: operations without a handler: ")
      .hasMessageContaining("addRolePermissions").hasMessageContaining("createUser").hasMessageNotContaining("getMe,");
  }

  private static JsonObject http() {
    return new JsonObject().put("maxBodySize", 4096).put("accessLog", false);
  }

  private static HttpWiring wiring(List<AdminApi> apis) {
    return new HttpWiring((v, fallback, log) -> fallback, metrics, HealthChecks.create(vertx), HealthChecks.create(vertx),
      apis, identity.authApi(), identity.auth());
  }
}
