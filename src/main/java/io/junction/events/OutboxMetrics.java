package io.junction.events;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Outbox meters. In Prometheus: {@code junction_outbox_pending}, {@code junction_outbox_relay_lag_seconds},
 * {@code junction_outbox_published_total}, {@code junction_outbox_failures_total},
 * {@code junction_outbox_dead_letters_total}. The two gauges describe the
 * shared table (every node reports the same backlog); the counters are this node's relay work.
 */
final class OutboxMetrics {
  private final AtomicLong pending = new AtomicLong();
  private final AtomicLong lagMillis = new AtomicLong();
  private final Counter published;
  private final Counter failures;
  private final Counter deadLetters;

  OutboxMetrics(MeterRegistry registry) {
    Gauge.builder("junction.outbox.pending", pending, AtomicLong::get)
      .description("Outbox rows not yet published").register(registry);
    Gauge.builder("junction.outbox.relay.lag", lagMillis, v -> v.get() / 1000.0).baseUnit("seconds")
      .description("Age of the oldest unpublished outbox row").register(registry);
    published = Counter.builder("junction.outbox.published")
      .description("Outbox events this node's relay published (to Kafka when on, else to the event bus)").register(registry);
    failures = Counter.builder("junction.outbox.failures")
      .description("Outbox events whose publish attempt failed on this node (each attempt counts)").register(registry);
    deadLetters = Counter.builder("junction.outbox.dead.letters")
      .description("Outbox events Kafka refused for good on this node's relay, kept as dead letters").register(registry);
  }

  void backlog(long rows, double oldestAgeSeconds) {
    pending.set(rows);
    lagMillis.set(Math.round(oldestAgeSeconds * 1000));
  }

  void published(int events) {
    published.increment(events);
  }

  void deadLetters(int events) {
    deadLetters.increment(events);
  }

  void failed(int events) {
    failures.increment(events);
  }
}
