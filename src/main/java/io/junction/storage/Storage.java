package io.junction.storage;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;

/** The storage module's public face: the shared Postgres pool, available once the module has started. */
public interface Storage {
  /** Event-bus address answering {@code {database, embedded, latencyMs}} (and failing while Postgres is down). */
  String PING_ADDRESS = "junction.storage.ping";

  Pool pool();

  /** Round trip to Postgres; completes with the latency in milliseconds. */
  Future<Long> ping();

  /** Where the data lives, for logs and health output (never includes a password). */
  String describe();
}
