package io.junction.events;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.util.UUID;

/**
 * The transactional outbox: a module writes its event with the same connection (same transaction) as the
 * change it describes, so the event exists exactly when the change does.
 */
public final class Outbox {
  public static final String TOPIC_PREFIX = "junction.";

  private Outbox() {
  }

  public static Future<Void> append(SqlClient tx, EventEnvelope event) {
    return tx.preparedQuery("INSERT INTO outbox (id, topic, key, envelope) VALUES ($1, $2, $3, $4)")
      .execute(Tuple.of(UUID.fromString(event.id()), TOPIC_PREFIX + event.family(), event.subject(), event.toJson()))
      .mapEmpty();
  }
}
