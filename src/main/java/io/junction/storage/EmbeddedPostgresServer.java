package io.junction.storage;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * PostgreSQL from real binaries shipped in a Maven artifact (zonky), for running with no setup. The data
 * directory survives restarts; the port is a free one unless configured. Blocking: call off the event loop.
 */
final class EmbeddedPostgresServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgresServer.class);
  static final String DATABASE = "junction";

  private final EmbeddedPostgres postgres;

  private EmbeddedPostgresServer(EmbeddedPostgres postgres) {
    this.postgres = postgres;
  }

  static EmbeddedPostgresServer start(Path dataDir, int port) throws IOException {
    Files.createDirectories(dataDir);
    boolean fresh = !Files.exists(dataDir.resolve("PG_VERSION"));
    LOG.info("starting embedded PostgreSQL, data in {} ({})", dataDir.toAbsolutePath(), fresh ? "new" : "existing");
    EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
      .setDataDirectory(dataDir.toFile())
      .setCleanDataDirectory(false)
      .setPGStartupWait(Duration.ofSeconds(60))
      .setServerConfig("listen_addresses", "127.0.0.1");
    if (port > 0) {
      builder.setPort(port);
    }
    EmbeddedPostgres pg;
    try {
      pg = builder.start();
    } catch (IllegalStateException e) {
      throw new IOException("embedded PostgreSQL did not start in " + dataDir.toAbsolutePath() + ": " + e.getMessage()
        + " (is another Junction using this storage.embedded.dataDir?)", e);
    }
    EmbeddedPostgresServer server = new EmbeddedPostgresServer(pg);
    try {
      server.createDatabase();
    } catch (SQLException e) {
      server.close();
      throw new IOException("embedded PostgreSQL: cannot create database " + DATABASE + ": " + e.getMessage(), e);
    }
    return server;
  }

  int port() {
    return postgres.getPort();
  }

  private void createDatabase() throws SQLException {
    try (Connection c = DriverManager.getConnection(postgres.getJdbcUrl("postgres", "postgres"));
         Statement st = c.createStatement()) {
      try (ResultSet rs = st.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'")) {
        if (rs.next()) {
          return;
        }
      }
      st.execute("CREATE DATABASE " + DATABASE);
    }
  }

  @Override
  public void close() throws IOException {
    postgres.close();
  }
}
