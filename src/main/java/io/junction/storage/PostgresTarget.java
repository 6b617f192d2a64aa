package io.junction.storage;

import io.vertx.pgclient.PgConnectOptions;

/** One Postgres server and database, in the two forms we need: the reactive client's options and JDBC for Flyway. */
record PostgresTarget(PgConnectOptions options, boolean embedded) {

  static PostgresTarget fromUrl(String url) {
    try {
      return new PostgresTarget(PgConnectOptions.fromUri(url), false);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("storage.url is not a valid postgresql:// URL: " + e.getMessage());
    }
  }

  static PostgresTarget embedded(int port, String database) {
    return new PostgresTarget(new PgConnectOptions().setHost("127.0.0.1").setPort(port).setDatabase(database)
      .setUser("postgres").setPassword(""), true);
  }

  String jdbcUrl() {
    return "jdbc:postgresql://" + options.getHost() + ":" + options.getPort() + "/" + options.getDatabase();
  }

  String describe() {
    return (embedded ? "embedded PostgreSQL" : "PostgreSQL") + " at " + options.getHost() + ":" + options.getPort()
      + "/" + options.getDatabase() + " as " + options.getUser();
  }
}
