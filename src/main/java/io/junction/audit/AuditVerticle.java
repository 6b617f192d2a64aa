package io.junction.audit;

import io.junction.storage.Storage;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.ZoneOffset;

/**
 * Audit module: {@code junction.audit.record} appends one hash-chained row and replies {seq, id, hash} once
 * it is committed. Appends are serialised by a transaction-scoped advisory lock, so several nodes sharing one
 * database still build a single unbroken chain.
 */
public class AuditVerticle extends VerticleBase {
  public static final String RECORD_ADDRESS = "junction.audit.record";
  private static final Logger LOG = LoggerFactory.getLogger(AuditVerticle.class);
  /** Arbitrary constant naming "the audit chain" among advisory locks. */
  private static final long CHAIN_LOCK = 0x6a756e6374696f6eL;

  private final Storage storage;

  public AuditVerticle(Storage storage) {
    this.storage = storage;
  }

  @Override
  public Future<?> start() {
    vertx.eventBus().<JsonObject>consumer(RECORD_ADDRESS, msg -> {
      AuditRecord record;
      try {
        record = AuditRecord.fromJson(msg.body());
      } catch (IllegalArgumentException e) {
        msg.fail(400, e.getMessage());
        return;
      }
      append(record).onComplete(ar -> {
        if (ar.succeeded()) {
          msg.reply(ar.result());
        } else {
          LOG.error("audit: could not append {} by {}: {}", record.action(), record.actor(), ar.cause().getMessage());
          msg.fail(503, "audit log unavailable: " + ar.cause().getMessage());
        }
      });
    });
    return Future.succeededFuture();
  }

  Future<JsonObject> append(AuditRecord r) {
    return storage.pool().withTransaction(conn -> conn.query("SELECT pg_advisory_xact_lock(" + CHAIN_LOCK + ")").execute()
      .compose(v -> conn.query("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").execute())
      .compose(rows -> {
        Row last = rows.iterator().hasNext() ? rows.iterator().next() : null;
        long seq = last == null ? 1 : last.getLong("seq") + 1;
        String prev = last == null ? AuditChain.GENESIS : last.getString("hash");
        String hash = AuditChain.hash(seq, r, prev);
        return insert(conn, seq, r, prev, hash).map(v -> new JsonObject().put("seq", seq).put("id", r.id().toString()).put("hash", hash));
      }));
  }

  private static Future<Void> insert(SqlConnection conn, long seq, AuditRecord r, String prev, String hash) {
    return conn.preparedQuery("INSERT INTO audit_log (seq, id, at, actor, action, target, outcome, metadata, request_id, trace_id, ip, user_agent, prev_hash, hash)"
        + " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)")
      .execute(Tuple.tuple().addLong(seq).addUUID(r.id()).addOffsetDateTime(r.at().atOffset(ZoneOffset.UTC))
        .addString(r.actor()).addString(r.action()).addString(r.target()).addString(r.outcome()).addValue(r.metadata())
        .addString(r.requestId()).addString(r.traceId()).addString(r.ip()).addString(r.userAgent())
        .addString(prev).addString(hash))
      .mapEmpty();
  }
}
