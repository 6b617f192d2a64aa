package io.junction.routes;

import io.junction.http.api.ContractDrift;
import io.junction.http.api.Contracts;
import io.junction.http.api.LoadedContract;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The routes module's handlers and the contract's routes/services/revisions/backup operations match one to one. */
class RoutesContractTest {
  static final Vertx VERTX = Vertx.vertx();

  @AfterAll
  static void close() {
    VERTX.close().await();
  }

  @Test
  void everyRoutesOperationHasExactlyOneHandler() {
    LoadedContract admin = Contracts.parse(VERTX, Contracts.ADMIN).await();
    List<String> problems = ContractDrift.problems(admin.contract(), List.of(
      new DefinitionsApi(null, null, Kind.ROUTE, null, null, null), new DefinitionsApi(null, null, Kind.SERVICE, null, null, null),
      new RevisionsApi(null), new BackupApi(null, null, null, null)), ContractDrift.servedByHttp());
    // the identity module's operations are the only ones left without a handler here
    assertThat(problems).hasSize(1);
    assertThat(problems.get(0)).startsWith("operations without a handler: ").doesNotContain("Route").doesNotContain("Service")
      .doesNotContain("Revision").doesNotContain("Backup").contains("getUser");
  }
}
