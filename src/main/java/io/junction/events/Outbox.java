package io.junction.events;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.util.UUID;

/**
 * The transactional outbox: a module writes its event with the same connection (same transaction) as the
 * change it describes, so the event exists exactly when the change does.
 *
 * <p>Delivery is the relay's job ({@link OutboxRelay}, started by the events module): every committed event
 * is published at least once on the local event bus at {@code junction.events.<type>} (envelope as JSON body)
 * and, when Kafka is on, to the topic {@code junction.<family>} with the subject as key. Order follows the
 * outbox ({@code created_at}, the time of the insert, then id). A subscriber can receive an event twice (a
 * relay that fails after delivering and before marking delivers again) and deduplicates by its {@code id}.
 * An event whose transaction rolls back is never delivered.
 *
 * <p>Module code calls only {@link #append}; after the commit it nudges the relay on this Vert.x instance, so
 * delivery normally follows within milliseconds rather than at the next poll.
 */
public final class Outbox {
  public static final String TOPIC_PREFIX = "junction.";

  private Outbox() {
  }

  /**
   * Adds the event to the outbox with {@code tx}: the transaction of the change (or a plain client, which
   * commits it at once). {@code created_at} is the insert time, not the transaction's start, so events of one
   * subject written by changes that lock that subject's row are ordered as those changes are.
   */
  public static Future<Void> append(SqlClient tx, EventEnvelope event) {
    return tx.preparedQuery("INSERT INTO outbox (id, topic, key, envelope, created_at) VALUES ($1, $2, $3, $4, clock_timestamp())")
      .execute(Tuple.of(UUID.fromString(event.id()), TOPIC_PREFIX + event.family(), event.subject(), event.toJson()))
      .onSuccess(rows -> wakeRelayAfterCommit(tx))
      .mapEmpty();
  }

  private static void wakeRelayAfterCommit(SqlClient client) {
    Context context = Vertx.currentContext();
    if (context == null) {
      return; // the relay's poll picks the event up
    }
    Future<Void> committed = client instanceof SqlConnection conn && conn.transaction() != null
      ? conn.transaction().completion() : Future.succeededFuture();
    committed.onSuccess(v -> context.owner().eventBus().publish(OutboxRelay.WAKE_ADDRESS, null));
  }
}
