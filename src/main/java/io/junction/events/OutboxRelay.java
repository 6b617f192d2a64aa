package io.junction.events;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.sqlclient.Pool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.OffsetDateTime;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Drains the outbox: every committed event goes to the local event bus ({@code junction.events.<type>}) and,
 * when Kafka is on, to its topic; then its row is marked published. At least once, in outbox order.
 *
 * <p>One relay at a time across all nodes sharing the database: each pass is one transaction that first takes
 * {@code pg_try_advisory_xact_lock}; a node that does not get it skips the pass. A pass reads the oldest
 * unpublished rows ({@code created_at, id}), sends them, waits for every acknowledgement, marks them and
 * commits, which releases the lock. Passes therefore never overlap, each starts from the oldest row not yet
 * marked, and a batch is fully acknowledged before the next one is sent: the order of the outbox (per key, the
 * order of the changes) is the order in Kafka. (Claiming rows with {@code FOR UPDATE SKIP LOCKED} would let two
 * relays send neighbouring rows of one key at once, in either order.) The lock is transaction-scoped, so a
 * relay whose node or connection dies frees it with its rollback, and a pooled connection never keeps it. A
 * pass holds one pooled connection in its transaction for as long as Kafka takes to answer (at most
 * {@code sendTimeout}).
 *
 * <p>A failure between the broker's acknowledgement and the commit (crash, lost connection) leaves the rows
 * unmarked: the next pass sends them again. Kafka consumers see each event at least once and drop duplicates
 * by the envelope's {@code id} (also in the {@code event-id} header).
 *
 * <p>While Kafka is down a pass fails after {@code sendTimeout}, counts an attempt on its rows and the relay
 * backs off (doubling up to {@code maxBackoff}); meanwhile it keeps delivering newer rows to the local bus
 * ("read-ahead", up to a cap), so in-process subscribers do not wait for Kafka. Published rows are deleted
 * after the retention.
 *
 * <p>An event Kafka refuses for good (larger than the broker accepts, invalid topic name) becomes a dead letter:
 * its row stays, unpublished, with {@code failed_at} and {@code last_error}; it is logged once at ERROR, counted
 * ({@code junction_outbox_dead_letters_total}) and never retried by the relay, so it blocks nothing. Later events
 * of the same key go on (they are not held back behind it): Kafka then has that key's events in order with the
 * dead one missing. An administrator lists dead letters and puts one back in line
 * ({@code GET /api/v1/events/dead-letters}, {@code POST .../{id}/_retry}), for example after raising the topic's
 * {@code max.message.bytes}; it is then sent again with its original envelope (same id), after later events of
 * its key.
 */
final class OutboxRelay {
  /** Nudged (after a commit that wrote to the outbox) so the relay need not wait for its next poll. */
  static final String WAKE_ADDRESS = "junction.events.wake";
  private static final Logger LOG = LoggerFactory.getLogger(OutboxRelay.class);
  private static final int LOCAL_AHEAD_CAP = 50_000;
  private static final int SWEEP_LIMIT = 10_000;
  private static final long FIRST_BACKOFF_MS = 250;

  private enum Outcome { IDLE, MORE, BUSY, KAFKA_DOWN, LOCAL_ONLY }

  /** What a pass did: rows it marked, of which {@code refused} were refused by Kafka for good (dead letters). */
  private record Pass(Outcome outcome, List<OutboxRow> marked, int refused) {
    Pass(Outcome outcome, List<OutboxRow> marked) {
      this(outcome, marked, 0);
    }
  }

  private final Vertx vertx;
  private final Pool pool;
  private final RelaySettings settings;
  private final KafkaSink kafka;
  private final OutboxMetrics metrics;
  /** Events this node put on the bus whose rows it has not yet seen published, with their created_at. */
  private final Map<UUID, OffsetDateTime> sentLocally = new LinkedHashMap<>();
  private OutboxRow localCursor;
  private MessageConsumer<Object> wakeConsumer;
  private long timer = -1;
  private long sweepTimer = -1;
  private long backlogTimer = -1;
  private boolean running;
  private boolean again;
  private boolean stopped;
  private long kafkaBackoffMs;
  private long kafkaRetryAt;
  private long dbBackoffMs;
  private Future<?> current = Future.succeededFuture();

  OutboxRelay(Vertx vertx, Pool pool, RelaySettings settings, KafkaSink kafka, OutboxMetrics metrics) {
    this.vertx = vertx;
    this.pool = pool;
    this.settings = settings;
    this.kafka = kafka;
    this.metrics = metrics;
  }

  void start() {
    wakeConsumer = vertx.eventBus().consumer(WAKE_ADDRESS, msg -> wake());
    sweepTimer = vertx.setPeriodic(settings.sweepInterval().toMillis(), id -> sweep());
    backlogTimer = vertx.setPeriodic(1000, id -> refreshBacklog());
    refreshBacklog();
    schedule(0);
  }

  /** Stops polling; an in-flight Kafka send is cut short by closing the producer (its rows stay unmarked). */
  Future<Void> stop() {
    stopped = true;
    vertx.cancelTimer(timer);
    vertx.cancelTimer(sweepTimer);
    vertx.cancelTimer(backlogTimer);
    Future<Void> unregistered = wakeConsumer == null ? Future.succeededFuture() : wakeConsumer.unregister();
    Future<Void> closed = kafka == null ? Future.succeededFuture() : kafka.close().recover(e -> Future.succeededFuture());
    return Future.join(unregistered, closed, current.recover(e -> Future.succeededFuture()))
      .timeout(5, TimeUnit.SECONDS)
      .<Void>mapEmpty()
      .recover(e -> Future.succeededFuture());
  }

  private void wake() {
    if (stopped) {
      return;
    }
    if (running) {
      again = true;
      return;
    }
    tick();
  }

  private void schedule(long delayMs) {
    if (stopped) {
      return;
    }
    vertx.cancelTimer(timer);
    timer = vertx.setTimer(Math.max(1, delayMs), id -> {
      timer = -1;
      tick();
    });
  }

  private void tick() {
    if (stopped || running) {
      return;
    }
    vertx.cancelTimer(timer);
    running = true;
    again = false;
    boolean backingOff = kafka != null && System.nanoTime() < kafkaRetryAt;
    // A pass stuck on a hung connection must not stop the relay for good; the lock keeps a late one harmless.
    long limitMs = 2 * settings.sendTimeout().toMillis() + 10_000;
    Future<Pass> pass = (backingOff ? readAhead() : pass()).timeout(limitMs, TimeUnit.MILLISECONDS);
    current = pass;
    pass.onComplete(ar -> {
      running = false;
      if (ar.failed()) {
        if (dbBackoffMs == 0) {
          LOG.warn("events: outbox relay pass failed in the database, retrying with backoff: {}", ar.cause().toString());
        }
        dbBackoffMs = nextBackoff(dbBackoffMs);
        schedule(dbBackoffMs);
        return;
      }
      if (dbBackoffMs > 0) {
        LOG.info("events: outbox relay passes succeed again");
        dbBackoffMs = 0;
      }
      Pass done = ar.result();
      done.marked().forEach(r -> sentLocally.remove(r.id()));
      if (!done.marked().isEmpty()) {
        metrics.published(done.marked().size() - done.refused());
        metrics.deadLetters(done.refused());
      }
      long poll = settings.pollInterval().toMillis();
      switch (done.outcome()) {
        case MORE -> schedule(0);
        case KAFKA_DOWN -> {
          kafkaBackoffMs = nextBackoff(kafkaBackoffMs);
          kafkaRetryAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(kafkaBackoffMs);
          schedule(Math.min(poll, kafkaBackoffMs));
        }
        case LOCAL_ONLY -> schedule(again ? 0 : Math.min(poll, remainingKafkaBackoffMs()));
        default -> schedule(again ? 0 : poll);
      }
    });
  }

  /** One relay pass in one transaction: lock, read the head of the outbox, deliver, mark, commit. */
  private Future<Pass> pass() {
    return pool.withTransaction(tx -> OutboxStore.tryRelayLock(tx).compose(locked -> {
      if (!locked) {
        return Future.succeededFuture(new Pass(Outcome.BUSY, List.of()));
      }
      return OutboxStore.head(tx, settings.batchSize()).compose(rows -> {
        forgetPublished(rows);
        if (rows.isEmpty()) {
          return Future.succeededFuture(new Pass(Outcome.IDLE, List.of()));
        }
        publishLocally(rows);
        Outcome delivered = rows.size() == settings.batchSize() ? Outcome.MORE : Outcome.IDLE;
        if (kafka == null) {
          return OutboxStore.markPublished(tx, rows).map(v -> new Pass(delivered, rows));
        }
        return kafka.send(rows).transform(sent -> {
          if (sent.succeeded()) {
            kafkaRecovered();
            List<KafkaSink.Refused> refused = sent.result(); // logged by the sink; dead letters, not retried
            Set<UUID> dead = new HashSet<>();
            refused.forEach(r -> dead.add(r.row().id()));
            List<OutboxRow> published = rows.stream().filter(r -> !dead.contains(r.id())).toList();
            return OutboxStore.markPublished(tx, published).compose(v -> OutboxStore.markDeadLetters(tx, refused))
              .map(v -> new Pass(delivered, rows, refused.size()));
          }
          kafkaFailed(rows.size(), sent.cause());
          return OutboxStore.countFailedAttempt(tx, rows).map(v -> new Pass(Outcome.KAFKA_DOWN, List.of()));
        });
      });
    }));
  }

  /** While Kafka is backed off: put newer rows on the local bus (they stay unpublished for Kafka). */
  private Future<Pass> readAhead() {
    Pass nothing = new Pass(Outcome.LOCAL_ONLY, List.of());
    if (sentLocally.size() >= LOCAL_AHEAD_CAP) {
      return Future.succeededFuture(nothing);
    }
    return pool.withTransaction(tx -> OutboxStore.tryRelayLock(tx).compose(locked -> {
      if (!locked) {
        return Future.succeededFuture(nothing);
      }
      Future<List<OutboxRow>> rows = localCursor == null ? OutboxStore.head(tx, settings.batchSize())
        : OutboxStore.after(tx, localCursor.createdAt(), localCursor.id(), settings.batchSize());
      return rows.map(r -> {
        publishLocally(r);
        return nothing;
      });
    }));
  }

  private void publishLocally(List<OutboxRow> rows) {
    for (OutboxRow row : rows) {
      if (sentLocally.putIfAbsent(row.id(), row.createdAt()) == null) {
        vertx.eventBus().publish(EventsVerticle.EVENT_PREFIX + row.type(), row.envelope());
      }
    }
    OutboxRow last = rows.isEmpty() ? null : rows.get(rows.size() - 1);
    if (last != null && (localCursor == null || !last.createdAt().isBefore(localCursor.createdAt()))) {
      localCursor = last;
    }
  }

  /** Rows older than the oldest unpublished one are published (by this node or another): forget them. */
  private void forgetPublished(List<OutboxRow> head) {
    if (head.isEmpty()) {
      sentLocally.clear();
    } else {
      OffsetDateTime oldest = head.get(0).createdAt();
      sentLocally.values().removeIf(t -> t.isBefore(oldest));
    }
  }

  private void kafkaFailed(int events, Throwable cause) {
    metrics.failed(events);
    if (kafkaBackoffMs == 0) {
      LOG.warn("events: Kafka unavailable, events wait in the outbox and are retried with backoff: {}", cause.toString());
    }
  }

  private void kafkaRecovered() {
    if (kafkaBackoffMs > 0) {
      LOG.info("events: Kafka available again, relaying the outbox");
    }
    kafkaBackoffMs = 0;
    kafkaRetryAt = 0;
  }

  private long remainingKafkaBackoffMs() {
    return Math.max(1, TimeUnit.NANOSECONDS.toMillis(kafkaRetryAt - System.nanoTime()));
  }

  private long nextBackoff(long previous) {
    long next = previous == 0 ? Math.max(FIRST_BACKOFF_MS, settings.pollInterval().toMillis()) : previous * 2;
    return Math.min(next, settings.maxBackoff().toMillis());
  }

  private void sweep() {
    OutboxStore.deletePublishedBefore(pool, settings.retention(), SWEEP_LIMIT).onComplete(ar -> {
      if (ar.failed()) {
        LOG.debug("events: outbox retention sweep failed: {}", ar.cause().toString());
      } else if (ar.result() > 0) {
        LOG.debug("events: deleted {} published outbox rows past the retention", ar.result());
        if (ar.result() == SWEEP_LIMIT && !stopped) {
          vertx.setTimer(100, id -> sweep());
        }
      }
    });
  }

  private void refreshBacklog() {
    OutboxStore.backlog(pool).onSuccess(b -> metrics.backlog((long) b[0], b[1]));
  }
}
