package io.junction.storage;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/** Versioned schema migrations (Flyway, classpath:db/migration). Blocking: call off the event loop. */
final class Migrations {
  private Migrations() {
  }

  static MigrateResult run(PostgresTarget target) {
    Flyway flyway = Flyway.configure()
      .dataSource(target.jdbcUrl(), target.options().getUser(), target.options().getPassword())
      .locations("classpath:db/migration")
      .connectRetries(0)
      .validateMigrationNaming(true)
      .load();
    return flyway.migrate();
  }
}
