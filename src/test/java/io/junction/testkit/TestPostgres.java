package io.junction.testkit;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * Real Postgres for tests: the machine's server on 127.0.0.1:5432 (trust auth) when it answers, else one
 * embedded server per test JVM. Every caller gets a fresh database of its own.
 */
public final class TestPostgres {
  private static final String HOST = "127.0.0.1";
  private static String adminJdbc;
  private static int port;
  private static EmbeddedPostgres embedded;

  private TestPostgres() {
  }

  /** A new empty database; returns its postgresql:// URL for storage.url. */
  public static synchronized String newDatabase() {
    ensureServer();
    String name = "junction_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    execute("CREATE DATABASE " + name);
    return "postgresql://postgres@" + HOST + ":" + port + "/" + name;
  }

  public static synchronized void dropDatabase(String url) {
    String name = url.substring(url.lastIndexOf('/') + 1);
    execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
  }

  /** JDBC URL of a database created by {@link #newDatabase}, for tests that look at the tables directly. */
  public static String jdbcUrl(String url) {
    return "jdbc:postgresql://" + HOST + ":" + port + url.substring(url.lastIndexOf('/')) + "?user=postgres";
  }

  public static int port() {
    ensureServer();
    return port;
  }

  private static void ensureServer() {
    if (adminJdbc != null) {
      return;
    }
    if (reachable(5432)) {
      port = 5432;
    } else {
      try {
        embedded = EmbeddedPostgres.builder().start();
        port = embedded.getPort();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
          try {
            embedded.close();
          } catch (IOException ignored) {
            // the JVM is going away
          }
        }));
      } catch (IOException e) {
        throw new IllegalStateException("no Postgres at 127.0.0.1:5432 and embedded Postgres did not start", e);
      }
    }
    adminJdbc = "jdbc:postgresql://" + HOST + ":" + port + "/postgres?user=postgres";
  }

  private static boolean reachable(int p) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(HOST, p), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static void execute(String sql) {
    try (Connection c = DriverManager.getConnection(adminJdbc); Statement st = c.createStatement()) {
      st.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }
}
