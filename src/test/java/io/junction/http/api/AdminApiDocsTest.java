package io.junction.http.api;

import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** docs/admin-api.md is generated from the contracts; this fails when it is out of date. */
class AdminApiDocsTest {
  private static final Path DOC = Path.of("docs/admin-api.md");

  @Test
  void referenceIsUpToDate() throws Exception {
    Vertx vertx = Vertx.vertx();
    String expected;
    try {
      LoadedContract admin = Contracts.parse(vertx, Contracts.ADMIN).await(30, TimeUnit.SECONDS);
      LoadedContract auth = Contracts.parse(vertx, Contracts.AUTH).await(30, TimeUnit.SECONDS);
      expected = AdminApiDocs.render(admin.json(), auth.json());
    } finally {
      vertx.close().await();
    }
    if (Boolean.getBoolean("junction.regenerateDocs")) {
      Files.writeString(DOC, expected);
    }
    String actual = Files.exists(DOC) ? Files.readString(DOC) : "";
    assertThat(actual)
      .as("docs/admin-api.md is out of date with the contract; regenerate it with: "
        + "mvn -Dtest=AdminApiDocsTest -Djunction.regenerateDocs=true test")
      .isEqualTo(expected);
  }
}
