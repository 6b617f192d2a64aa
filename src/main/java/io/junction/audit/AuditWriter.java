package io.junction.audit;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Appends records to audit_log in batches: a batch goes out when it reaches {@code audit.batchSize} or when its
 * first record has waited {@code audit.flushInterval}, one batch at a time, in one transaction that holds the chain
 * lock. Each record's future completes only after its batch committed. While Postgres is unreachable the records
 * stay queued (up to {@code audit.bufferSize}) and the batch is retried with backoff; nothing is dropped.
 *
 * <p>Confined to the audit verticle's context: every method runs there, only the queue depth is read elsewhere.
 */
final class AuditWriter {
  private static final Logger LOG = LoggerFactory.getLogger(AuditWriter.class);
  /** Arbitrary constant naming "the audit chain" among advisory locks (shared by every node). */
  static final long CHAIN_LOCK = 0x6a756e6374696f6eL;
  private static final String HEAD = "SELECT seq, hash FROM (SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1) t"
    + " UNION ALL SELECT last_seq, last_hash FROM (SELECT last_seq, last_hash FROM audit_archives ORDER BY last_seq DESC LIMIT 1) a"
    + " ORDER BY 1 DESC LIMIT 1";
  private static final String INSERT = "INSERT INTO audit_log (" + AuditEntry.COLUMNS + ")"
    + " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)";

  private record Pending(AuditRecord record, Promise<JsonObject> done) {
  }

  private final Vertx vertx;
  private final Pool pool;
  private final AuditSettings settings;
  private final AuditMeters meters;
  private final ArrayDeque<Pending> queue = new ArrayDeque<>();
  private boolean inFlight;
  private boolean waitingToRetry;
  /** The last batch failed without an answer: it may have committed, so the retry first looks for its ids. */
  private boolean uncertain;
  private long flushTimer = -1;
  private long backoffMs;
  private boolean outageLogged;

  AuditWriter(Vertx vertx, Pool pool, AuditSettings settings, AuditMeters meters) {
    this.vertx = vertx;
    this.pool = pool;
    this.settings = settings;
    this.meters = meters;
  }

  /** Records waiting (queued or in the batch being written). Safe from any thread. */
  int depth() {
    return meters.queueDepth.get();
  }

  /**
   * Whether a mutating admin request may proceed: false once the buffer is nearly full (a tenth of it is kept
   * for the records of requests already let in) and audit.failClosed is on.
   */
  boolean accepting() {
    if (!settings.failClosed()) {
      return true;
    }
    int headroom = Math.max(1, settings.bufferSize() / 10);
    return depth() < settings.bufferSize() - headroom;
  }

  /** Completes with {seq, id, hash} once committed; fails with 503 when the buffer is full. */
  Future<JsonObject> submit(AuditRecord record) {
    if (depth() >= settings.bufferSize()) {
      meters.refused();
      LOG.error("audit: buffer full ({} records waiting), record refused: {} by {} on {}", depth(), record.action(),
        record.actor(), record.target());
      return Future.failedFuture(new ReplyException(ReplyFailure.RECIPIENT_FAILURE, 503, "audit buffer full"));
    }
    Promise<JsonObject> done = Promise.promise();
    queue.add(new Pending(record, done));
    meters.queueDepth.incrementAndGet();
    if (queue.size() >= settings.batchSize() || settings.flushInterval().isZero()) {
      flush();
    } else if (flushTimer < 0 && !inFlight && !waitingToRetry) {
      flushTimer = vertx.setTimer(settings.flushInterval().toMillis(), id -> {
        flushTimer = -1;
        flush();
      });
    }
    return done.future();
  }

  private void flush() {
    if (inFlight || waitingToRetry || queue.isEmpty()) {
      return;
    }
    if (flushTimer >= 0) {
      vertx.cancelTimer(flushTimer);
      flushTimer = -1;
    }
    List<Pending> batch = new ArrayList<>(Math.min(queue.size(), settings.batchSize()));
    while (batch.size() < settings.batchSize() && !queue.isEmpty()) {
      batch.add(queue.poll());
    }
    inFlight = true;
    long t0 = System.nanoTime();
    boolean check = uncertain;
    write(batch, check).onComplete(ar -> {
      inFlight = false;
      if (ar.succeeded()) {
        committed(batch, ar.result(), System.nanoTime() - t0);
        // Whatever queued meanwhile has already waited a whole batch: send it now.
        flush();
      } else if (isBadData(ar.cause()) && batch.size() > 1) {
        writeOneByOne(batch, 0);
      } else if (isBadData(ar.cause())) {
        rejectInvalid(batch.get(0), ar.cause());
        flush();
      } else {
        requeue(batch, ar.cause());
      }
    });
  }

  /** A batch Postgres refused for its data: find the record at fault by writing them singly (rare). */
  private void writeOneByOne(List<Pending> batch, int index) {
    if (index == batch.size()) {
      flush();
      return;
    }
    Pending p = batch.get(index);
    inFlight = true;
    long t0 = System.nanoTime();
    write(List.of(p), false).onComplete(ar -> {
      inFlight = false;
      if (ar.succeeded()) {
        committed(List.of(p), ar.result(), System.nanoTime() - t0);
        writeOneByOne(batch, index + 1);
      } else if (isBadData(ar.cause())) {
        rejectInvalid(p, ar.cause());
        writeOneByOne(batch, index + 1);
      } else {
        requeue(batch.subList(index, batch.size()), ar.cause());
      }
    });
  }

  private void committed(List<Pending> batch, List<JsonObject> results, long nanos) {
    if (outageLogged) {
      LOG.warn("audit: Postgres is back, writing the {} buffered record(s)", depth());
      outageLogged = false;
    }
    uncertain = false;
    backoffMs = 0;
    meters.batch(batch.size(), nanos);
    meters.queueDepth.addAndGet(-batch.size());
    for (int i = 0; i < batch.size(); i++) {
      batch.get(i).done().complete(results.get(i));
    }
  }

  private void rejectInvalid(Pending p, Throwable cause) {
    meters.invalid();
    meters.queueDepth.decrementAndGet();
    LOG.error("audit: Postgres refused record {} by {}: {}", p.record().action(), p.record().actor(), cause.getMessage());
    p.done().fail(new ReplyException(ReplyFailure.RECIPIENT_FAILURE, 400, "audit record refused by the database: " + cause.getMessage()));
  }

  /** Puts the batch back at the head of the queue (order kept) and retries after a doubling backoff. */
  private void requeue(List<Pending> batch, Throwable cause) {
    for (int i = batch.size() - 1; i >= 0; i--) {
      queue.addFirst(batch.get(i));
    }
    uncertain = true;
    backoffMs = backoffMs == 0 ? 100 : Math.min(backoffMs * 2, settings.retryMax().toMillis());
    if (!outageLogged) {
      LOG.error("audit: cannot write to Postgres ({}); buffering records (limit {}), retrying", cause.getMessage(), settings.bufferSize());
      outageLogged = true;
    }
    waitingToRetry = true;
    vertx.setTimer(Math.max(1, backoffMs), id -> {
      waitingToRetry = false;
      flush();
    });
  }

  /** Postgres answered but refuses the values (data exception, constraint): retrying the same rows cannot help. */
  private static boolean isBadData(Throwable err) {
    if (err instanceof PgException pg && pg.getSqlState() != null) {
      String s = pg.getSqlState();
      return s.startsWith("22") || (s.startsWith("23") && !s.equals("23505"));
    }
    return false;
  }

  private Future<List<JsonObject>> write(List<Pending> batch, boolean checkExisting) {
    return pool.withTransaction(conn -> conn.query("SELECT pg_advisory_xact_lock(" + CHAIN_LOCK + ")").execute()
      .compose(v -> checkExisting ? existing(conn, batch) : Future.succeededFuture(Map.<UUID, JsonObject>of()))
      .compose(found -> conn.query(HEAD).execute().compose(rows -> {
        Row head = rows.iterator().hasNext() ? rows.iterator().next() : null;
        long seq = head == null ? 0 : head.getLong(0);
        String prev = head == null ? AuditChain.GENESIS : head.getString(1);
        List<JsonObject> results = new ArrayList<>(batch.size());
        List<Tuple> tuples = new ArrayList<>(batch.size());
        for (Pending p : batch) {
          JsonObject already = found.get(p.record().id());
          if (already != null) {
            results.add(already);
            continue;
          }
          AuditRecord r = p.record();
          seq++;
          String hash = AuditChain.hash(seq, r, prev);
          tuples.add(Tuple.tuple().addLong(seq).addUUID(r.id()).addOffsetDateTime(r.at().atOffset(ZoneOffset.UTC))
            .addString(r.actor()).addString(r.action()).addString(r.target()).addString(r.outcome()).addValue(r.metadata())
            .addString(r.requestId()).addString(r.traceId()).addString(r.ip()).addString(r.userAgent())
            .addString(prev).addString(hash));
          results.add(new JsonObject().put("seq", seq).put("id", r.id().toString()).put("hash", hash));
          prev = hash;
        }
        return tuples.isEmpty() ? Future.succeededFuture(results)
          : conn.preparedQuery(INSERT).executeBatch(tuples).map(results);
      })));
  }

  /** After an unanswered commit: the records of the batch that did reach the table, by id. */
  private static Future<Map<UUID, JsonObject>> existing(SqlConnection conn, List<Pending> batch) {
    UUID[] ids = batch.stream().map(p -> p.record().id()).toArray(UUID[]::new);
    return conn.preparedQuery("SELECT seq, id, hash FROM audit_log WHERE id = ANY($1)").execute(Tuple.of(ids)).map(rows -> {
      Map<UUID, JsonObject> found = new HashMap<>();
      for (Row row : rows) {
        found.put(row.getUUID("id"), new JsonObject().put("seq", row.getLong("seq")).put("id", row.getUUID("id").toString())
          .put("hash", row.getString("hash")));
      }
      return found;
    });
  }
}
