package io.junction.audit;

import io.junction.http.AdminApi;
import io.junction.http.AdminAudit;
import io.junction.storage.Storage;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * Audit module. {@code junction.audit.record} takes one record and replies {seq, id, hash} once its batch is
 * committed (see {@link AuditWriter}); {@code junction.audit.archive} runs the archiver now; {@code
 * junction.audit.verify} recomputes the chain. Verification runs every audit.verifyInterval and archiving every
 * audit.archiveInterval. Its faces for the HTTP module: {@link #adminApi()} and {@link #adminAudit()}.
 */
public class AuditVerticle extends VerticleBase {
  public static final String RECORD_ADDRESS = "junction.audit.record";
  public static final String ARCHIVE_ADDRESS = "junction.audit.archive";
  public static final String VERIFY_ADDRESS = "junction.audit.verify";
  private static final Logger LOG = LoggerFactory.getLogger(AuditVerticle.class);

  private final Storage storage;
  private final AuditSettings settings;
  private final AuditMeters meters;
  private AuditWriter writer;
  private ChainVerifier verifier;
  private Archiver archiver;

  public AuditVerticle(Storage storage, JsonObject auditConfig, MeterRegistry registry) {
    this.storage = storage;
    this.settings = AuditSettings.from(auditConfig);
    this.meters = new AuditMeters(registry);
  }

  @Override
  public Future<?> start() {
    writer = new AuditWriter(vertx, storage.pool(), settings, meters);
    verifier = new ChainVerifier(vertx, storage.pool(), settings);
    archiver = new Archiver(vertx, storage.pool(), settings, meters);
    vertx.eventBus().<JsonObject>consumer(RECORD_ADDRESS, msg -> {
      AuditRecord record;
      try {
        record = AuditRecord.fromJson(msg.body());
      } catch (IllegalArgumentException e) {
        msg.fail(400, e.getMessage());
        return;
      }
      writer.submit(record).onComplete(ar -> {
        if (ar.succeeded()) {
          msg.reply(ar.result());
        } else if (ar.cause() instanceof ReplyException re) {
          msg.fail(re.failureCode(), re.getMessage());
        } else {
          msg.fail(503, "audit log unavailable: " + ar.cause().getMessage());
        }
      });
    });
    vertx.eventBus().<JsonObject>consumer(ARCHIVE_ADDRESS, msg -> archiver.run().onComplete(ar -> {
      if (ar.succeeded()) {
        msg.reply(ar.result());
      } else {
        msg.fail(503, "audit archive failed: " + ar.cause().getMessage());
      }
    }));
    vertx.eventBus().<JsonObject>consumer(VERIFY_ADDRESS, msg -> {
      JsonObject body = msg.body() == null ? new JsonObject() : msg.body();
      verify(body.getLong("from", 1L), body.getLong("to", Long.MAX_VALUE), body.getBoolean("archives", true)).onComplete(ar -> {
        if (ar.succeeded()) {
          msg.reply(ar.result());
        } else {
          msg.fail(503, "audit verification could not run: " + ar.cause().getMessage());
        }
      });
    });
    every(settings.verifyInterval(), () -> verify(1, Long.MAX_VALUE, true));
    every(settings.archiveInterval(), archiver::run);
    return Future.succeededFuture();
  }

  /** Runs {@code job} every {@code period} (none when zero), the next run counted from the end of the last. */
  private void every(Duration period, java.util.function.Supplier<Future<?>> job) {
    if (period.isZero()) {
      return;
    }
    vertx.setTimer(period.toMillis(), id -> job.get().onComplete(ar -> every(period, job)));
  }

  /** Verifies, then reports a failure on the meter and in the log (an operator's alert hangs on either). */
  Future<JsonObject> verify(long from, long to, boolean archives) {
    long t0 = System.nanoTime();
    return verifier.verify(from, to, archives).onComplete(ar -> {
      if (ar.failed()) {
        LOG.warn("audit: chain verification could not run: {}", ar.cause().getMessage());
        return;
      }
      JsonObject r = ar.result();
      meters.verified(r.getBoolean("ok"));
      if (r.getBoolean("ok")) {
        LOG.info("audit: chain verified, {} entries in {} ms", r.getLong("checked"), (System.nanoTime() - t0) / 1_000_000);
      } else {
        LOG.error("audit: CHAIN BROKEN at seq {}: {} ({} entries checked before it)", r.getLong("firstBadSeq"), r.getString("reason"),
          r.getLong("checked"));
      }
    });
  }

  /** The /api/v1/audit operations; available after start. */
  public AdminApi adminApi() {
    return new AuditApi(storage.pool(), verifier);
  }

  /** The admin listener's gate and recorder for mutating requests; available after start. */
  public AdminAudit adminAudit() {
    return new AdminAudit() {
      @Override
      public boolean accepting() {
        return writer.accepting();
      }

      @Override
      public void record(JsonObject record) {
        vertx.eventBus().send(RECORD_ADDRESS, record);
      }
    };
  }

  /** Gives buffered records up to 5 s to reach Postgres before the module (and then the pool) closes. */
  @Override
  public Future<?> stop() {
    Promise<Void> drained = Promise.promise();
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    waitDrained(drained, deadline);
    return drained.future();
  }

  private void waitDrained(Promise<Void> drained, long deadline) {
    if (writer == null || writer.depth() == 0) {
      drained.complete();
    } else if (System.nanoTime() > deadline) {
      LOG.error("audit: stopping with {} record(s) not yet written", writer.depth());
      drained.complete();
    } else {
      vertx.setTimer(50, id -> waitDrained(drained, deadline));
    }
  }
}
