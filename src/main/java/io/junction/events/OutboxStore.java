package io.junction.events;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** The relay's SQL over the {@code outbox} table; reads follow {@code created_at, id}, the order of the events. */
final class OutboxStore {
  /** Names "the outbox relay" among advisory locks (the other modules use other constants). */
  static final long RELAY_LOCK = 0x6f7574626f78L; // "outbox"
  private static final String COLUMNS = "id, topic, key, envelope, created_at, attempts";

  private OutboxStore() {
  }

  /** True when this transaction is now the only relay at work; released by its commit or rollback. */
  static Future<Boolean> tryRelayLock(SqlClient tx) {
    return tx.preparedQuery("SELECT pg_try_advisory_xact_lock($1) AS locked").execute(Tuple.of(RELAY_LOCK))
      .map(rows -> rows.iterator().next().getBoolean("locked"));
  }

  /** The oldest unpublished rows. */
  static Future<List<OutboxRow>> head(SqlClient tx, int limit) {
    return tx.preparedQuery("SELECT " + COLUMNS + " FROM outbox WHERE published_at IS NULL AND failed_at IS NULL ORDER BY created_at, id LIMIT $1")
      .execute(Tuple.of(limit)).map(OutboxStore::rows);
  }

  /** Unpublished rows after a given one, in order (local delivery reads ahead while Kafka is down). */
  static Future<List<OutboxRow>> after(SqlClient tx, OffsetDateTime createdAt, UUID id, int limit) {
    return tx.preparedQuery("SELECT " + COLUMNS + " FROM outbox WHERE published_at IS NULL AND failed_at IS NULL AND (created_at, id) > ($1, $2)"
        + " ORDER BY created_at, id LIMIT $3")
      .execute(Tuple.of(createdAt, id, limit)).map(OutboxStore::rows);
  }

  /** Marks rows published (this attempt counted). */
  static Future<Void> markPublished(SqlClient tx, List<OutboxRow> rows) {
    return tx.preparedQuery("UPDATE outbox SET published_at = now(), attempts = attempts + 1 WHERE id = ANY($1)")
      .execute(Tuple.of(ids(rows))).mapEmpty();
  }

  /** Marks rows Kafka refused for good as dead letters: kept, unpublished, never picked up again unless retried. */
  static Future<Void> markDeadLetters(SqlClient tx, List<KafkaSink.Refused> refused) {
    if (refused.isEmpty()) {
      return Future.succeededFuture();
    }
    List<Tuple> batch = new ArrayList<>();
    refused.forEach(r -> batch.add(Tuple.of(r.row().id(), r.error().length() > 2000 ? r.error().substring(0, 2000) : r.error())));
    return tx.preparedQuery("UPDATE outbox SET failed_at = now(), last_error = $2, attempts = attempts + 1 WHERE id = $1")
      .executeBatch(batch).mapEmpty();
  }

  /** Dead letters, newest first, before a cursor ({failed_at, id} of the last one seen), up to limit + 1. */
  static Future<RowSet<Row>> deadLetters(SqlClient client, OffsetDateTime beforeAt, UUID beforeId, int limit) {
    return client.preparedQuery("SELECT id, topic, key, envelope, created_at, attempts, failed_at, last_error FROM outbox"
        + " WHERE failed_at IS NOT NULL AND ($1::timestamptz IS NULL OR (failed_at, id) < ($1, $2)) ORDER BY failed_at DESC, id DESC LIMIT $3")
      .execute(Tuple.of(beforeAt, beforeId, limit + 1));
  }

  /** Puts a dead letter back in line (it keeps its place: its created_at); false when there is no such dead letter. */
  static Future<Boolean> retry(SqlClient client, UUID id) {
    return client.preparedQuery("UPDATE outbox SET failed_at = NULL, last_error = NULL WHERE id = $1 AND failed_at IS NOT NULL")
      .execute(Tuple.of(id)).map(rows -> rows.rowCount() == 1);
  }

  /** Counts a failed attempt on rows that stay unpublished. */
  static Future<Void> countFailedAttempt(SqlClient tx, List<OutboxRow> rows) {
    return tx.preparedQuery("UPDATE outbox SET attempts = attempts + 1 WHERE id = ANY($1)")
      .execute(Tuple.of(ids(rows))).mapEmpty();
  }

  /** Deletes up to {@code limit} rows published longer ago than the retention; unpublished rows and dead letters are never deleted. */
  static Future<Integer> deletePublishedBefore(SqlClient client, Duration retention, int limit) {
    return client.preparedQuery("DELETE FROM outbox WHERE id IN (SELECT id FROM outbox WHERE published_at IS NOT NULL"
        + " AND published_at < now() - make_interval(secs => $1) LIMIT $2)")
      .execute(Tuple.of(retention.toMillis() / 1000.0, limit)).map(RowSet::rowCount);
  }

  /** {pending rows, age in seconds of the oldest of them (0 when none)}. */
  static Future<double[]> backlog(SqlClient client) {
    return client.query("SELECT count(*) AS pending, coalesce(extract(epoch FROM now() - min(created_at)), 0) AS lag"
        + " FROM outbox WHERE published_at IS NULL AND failed_at IS NULL").execute()
      .map(rows -> {
        Row r = rows.iterator().next();
        return new double[] {r.getLong("pending"), Math.max(0, r.getNumeric("lag").doubleValue())};
      });
  }

  private static List<OutboxRow> rows(RowSet<Row> rows) {
    List<OutboxRow> out = new ArrayList<>(rows.size());
    rows.forEach(r -> out.add(OutboxRow.of(r)));
    return out;
  }

  private static UUID[] ids(List<OutboxRow> rows) {
    return rows.stream().map(OutboxRow::id).toArray(UUID[]::new);
  }
}
