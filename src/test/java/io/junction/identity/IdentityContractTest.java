package io.junction.identity;

import io.junction.http.api.ContractDrift;
import io.junction.http.api.Contracts;
import io.junction.http.api.LoadedContract;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The identity module's handlers and the two contracts name the same operations, no more, no less. */
class IdentityContractTest {
  static final Vertx VERTX = Vertx.vertx();

  @AfterAll
  static void close() {
    VERTX.close();
  }

  @Test
  void everyAdminOperationHasAnIdentityOrHttpHandlerAndNoHandlerIsStray() {
    LoadedContract admin = Contracts.parse(VERTX, Contracts.ADMIN).await();
    // Operations of other modules (audit, routes, config: checked in their own tests) stand in as stubs.
    io.junction.http.AdminApi audit = () -> java.util.Map.of("listAudit", ctx -> { }, "exportAudit", ctx -> { }, "verifyAudit", ctx -> { });
    assertThat(ContractDrift.problems(admin.contract(), List.of(new UsersApi(null), new RolesApi(null), audit,
      (io.junction.http.AdminApi) io.junction.routes.RoutesApiStub::operations, new io.junction.config.ConfigApi(null)),
      ContractDrift.servedByHttp())).isEmpty();
  }

  @Test
  void everyAuthOperationHasAHandler() {
    LoadedContract auth = Contracts.parse(VERTX, Contracts.AUTH).await();
    assertThat(ContractDrift.problems(auth.contract(), List.of(new AuthApi(null)), java.util.Set.of())).isEmpty();
  }
}
