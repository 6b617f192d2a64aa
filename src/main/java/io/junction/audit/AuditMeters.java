package io.junction.audit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.util.concurrent.atomic.AtomicInteger;

/** The audit module's meters: what was written, what waits, how long a batch takes, whether the chain holds. */
final class AuditMeters {
  final AtomicInteger queueDepth = new AtomicInteger();
  /** 1 after a verification that passed, 0 after one that failed, -1 before the first. */
  final AtomicInteger lastVerify = new AtomicInteger(-1);
  private final Counter written;
  private final Counter refused;
  private final Counter invalid;
  private final Counter verifyFailures;
  private final Counter archived;
  private final DistributionSummary batchSize;
  private final Timer write;

  AuditMeters(MeterRegistry registry) {
    written = Counter.builder("junction.audit.records").tag("result", "written")
      .description("Audit records committed to audit_log").register(registry);
    refused = Counter.builder("junction.audit.records").tag("result", "refused")
      .description("Audit records refused because the buffer was full").register(registry);
    invalid = Counter.builder("junction.audit.records").tag("result", "invalid")
      .description("Audit records Postgres would not store (bad data)").register(registry);
    verifyFailures = Counter.builder("junction.audit.verify.failures")
      .description("Chain verifications that found a bad entry").register(registry);
    archived = Counter.builder("junction.audit.archived")
      .description("Audit rows moved to archive files").register(registry);
    batchSize = DistributionSummary.builder("junction.audit.batch.size").description("Records per committed batch")
      .register(registry);
    write = Timer.builder("junction.audit.write").description("Time to commit one batch (lock, chain head, insert)")
      .publishPercentiles(0.5, 0.99).register(registry);
    Gauge.builder("junction.audit.queue.depth", queueDepth, AtomicInteger::get)
      .description("Audit records waiting to be written").register(registry);
    Gauge.builder("junction.audit.verify.ok", lastVerify, AtomicInteger::get)
      .description("Last chain verification: 1 passed, 0 failed, -1 not run yet").register(registry);
  }

  void batch(int size, long nanos) {
    written.increment(size);
    batchSize.record(size);
    write.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
  }

  void refused() {
    refused.increment();
  }

  void invalid() {
    invalid.increment();
  }

  void verified(boolean ok) {
    lastVerify.set(ok ? 1 : 0);
    if (!ok) {
      verifyFailures.increment();
    }
  }

  void archived(long rows) {
    archived.increment(rows);
  }
}
