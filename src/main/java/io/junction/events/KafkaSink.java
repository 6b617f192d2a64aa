package io.junction.events;

import io.junction.observability.Traceparent;
import io.junction.observability.Tracing;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.tracing.TracingPolicy;
import io.vertx.kafka.client.common.KafkaClientOptions;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import io.vertx.kafka.client.producer.RecordMetadata;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The relay's Kafka producer, the only writer of Junction events to Kafka. Idempotent with acks=all and at most
 * 5 requests in flight, so a batch lands in each partition in the order it was sent, once per attempt; the key
 * (the event's subject) picks the partition, so events of one subject keep their order.
 *
 * <p>With tracing on, each send is a {@code send <topic>} producer span in the trace of the event's envelope
 * ({@code traceId}), and the record's {@code traceparent} names that span, so consumers continue from it. Vert.x's
 * own Kafka tracing is off ({@link TracingPolicy#IGNORE}): it would file the send under whatever trace woke the
 * relay, which is not the event's. Off, no span work is done.
 */
final class KafkaSink {
  static final String HEADER_EVENT_ID = "event-id";
  static final String HEADER_EVENT_TYPE = "event-type";
  static final String HEADER_TRACE_ID = "trace-id";
  static final String HEADER_TRACEPARENT = "traceparent";
  private static final Logger LOG = LoggerFactory.getLogger(KafkaSink.class);
  private static final Pattern TRACE_ID = Pattern.compile("^[0-9a-f]{32}$");
  private static final AttributeKey<String> MESSAGING_SYSTEM = AttributeKey.stringKey("messaging.system");
  private static final AttributeKey<String> MESSAGING_DESTINATION = AttributeKey.stringKey("messaging.destination.name");
  private static final AttributeKey<String> MESSAGING_OPERATION = AttributeKey.stringKey("messaging.operation.type");
  private static final AttributeKey<String> MESSAGING_MESSAGE_ID = AttributeKey.stringKey("messaging.message.id");
  private static final AttributeKey<String> EVENT_TYPE = AttributeKey.stringKey("junction.event.type");
  private static final AttributeKey<Long> KAFKA_PARTITION = AttributeKey.longKey("messaging.destination.partition.id");
  private static final AttributeKey<Long> KAFKA_OFFSET = AttributeKey.longKey("messaging.kafka.offset");

  /** A row Kafka refused for good, and why. */
  record Refused(OutboxRow row, String error) {
  }

  private final KafkaProducer<String, String> producer;
  private final Tracing tracing;

  KafkaSink(Vertx vertx, RelaySettings settings) {
    this.tracing = Tracing.of(vertx);
    Map<String, Object> config = config(settings);
    this.producer = KafkaProducer.create(vertx, new org.apache.kafka.clients.producer.KafkaProducer<String, String>(config),
      KafkaClientOptions.fromMap(config, true).setTracingPolicy(TracingPolicy.IGNORE));
  }

  private static Map<String, Object> config(RelaySettings settings) {
    long timeout = settings.sendTimeout().toMillis();
    long linger = 5;
    return Map.ofEntries(
      Map.entry("bootstrap.servers", settings.bootstrapServers()),
      Map.entry("client.id", "junction-outbox-relay"),
      Map.entry("key.serializer", "org.apache.kafka.common.serialization.StringSerializer"),
      Map.entry("value.serializer", "org.apache.kafka.common.serialization.StringSerializer"),
      Map.entry("acks", "all"),
      Map.entry("enable.idempotence", "true"),
      Map.entry("max.in.flight.requests.per.connection", "5"),
      Map.entry("linger.ms", String.valueOf(linger)),
      // A send is acknowledged or failed within sendTimeout; metadata waits are bounded by it too.
      Map.entry("delivery.timeout.ms", String.valueOf(timeout)),
      Map.entry("request.timeout.ms", String.valueOf(Math.max(500, Math.min(30_000, timeout - linger)))),
      Map.entry("max.block.ms", String.valueOf(timeout)),
      Map.entry("reconnect.backoff.max.ms", "1000"));
  }

  /**
   * Sends the rows in order and completes once each has been acknowledged or has failed (never while one is
   * still in flight, so a retry cannot overtake it). Succeeds with the rows Kafka refused for good (see
   * {@link #refusedForGood}), usually none, each logged once here; fails when any other send failed: the whole
   * batch is to be retried.
   */
  Future<List<Refused>> send(List<OutboxRow> rows) {
    Set<String> topics = new LinkedHashSet<>();
    rows.forEach(r -> topics.add(r.topic()));
    // Partition metadata first: a send never blocks on it per record while the broker is away.
    Future<Void> ready = Future.succeededFuture();
    for (String topic : topics) {
      ready = ready.compose(v -> producer.partitionsFor(topic).mapEmpty());
    }
    return ready.compose(v -> {
      List<Future<Throwable>> outcomes = new ArrayList<>(rows.size());
      for (OutboxRow row : rows) {
        Span span = tracing.enabled() ? span(row) : null;
        Future<RecordMetadata> ack;
        try {
          ack = producer.send(record(row, span == null ? null : span.getSpanContext()));
        } catch (RuntimeException e) {
          ack = Future.failedFuture(e);
        }
        if (span != null) {
          ack.onComplete(ar -> end(span, ar));
        }
        outcomes.add(ack.transform(ar -> Future.succeededFuture(ar.failed() ? ar.cause() : null)));
      }
      return Future.all(outcomes).compose(all -> {
        List<Refused> refused = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
          Throwable failure = outcomes.get(i).result();
          if (failure == null) {
            continue;
          }
          if (!refusedForGood(failure)) {
            return Future.failedFuture(failure);
          }
          refused.add(new Refused(rows.get(i), failure.toString()));
          LOG.error("events: Kafka refuses event {} ({}, key {}) for good; it stays in the outbox as a dead letter and the events"
            + " behind it go on: {}", rows.get(i).id(), rows.get(i).type(), rows.get(i).key(), failure.toString());
        }
        return Future.succeededFuture(refused);
      });
    });
  }

  /**
   * Errors about the record itself (too large, invalid topic name), which no retry can fix. Anything else
   * (broker away, timeouts, authorization, a closed producer) fails the batch, to be retried as a whole.
   */
  static boolean refusedForGood(Throwable failure) {
    return failure instanceof RecordTooLargeException || failure instanceof RecordBatchTooLargeException
      || failure instanceof InvalidTopicException || failure instanceof SerializationException;
  }

  /** The producer span of a row whose envelope has a valid trace id, else null (no trace to continue). */
  private Span span(OutboxRow row) {
    Span span = tracing.startInTrace(row.envelope().getString("traceId"), "send " + row.topic(), SpanKind.PRODUCER);
    if (span != null && span.isRecording()) {
      span.setAttribute(MESSAGING_SYSTEM, "kafka");
      span.setAttribute(MESSAGING_DESTINATION, row.topic());
      span.setAttribute(MESSAGING_OPERATION, "send");
      span.setAttribute(MESSAGING_MESSAGE_ID, row.id().toString());
      span.setAttribute(EVENT_TYPE, row.type());
    }
    return span;
  }

  private static void end(Span span, AsyncResult<RecordMetadata> ack) {
    if (ack.succeeded()) {
      span.setAttribute(KAFKA_PARTITION, (long) ack.result().getPartition());
      span.setAttribute(KAFKA_OFFSET, ack.result().getOffset());
    } else {
      span.recordException(ack.cause());
      span.setStatus(StatusCode.ERROR, ack.cause().toString());
    }
    span.end();
  }

  static KafkaProducerRecord<String, String> record(OutboxRow row) {
    return record(row, null);
  }

  /** The record of a row; {@code span} (tracing on) is the producer span its traceparent names. */
  static KafkaProducerRecord<String, String> record(OutboxRow row, SpanContext span) {
    KafkaProducerRecord<String, String> record = KafkaProducerRecord.create(row.topic(), row.key(), row.envelope().encode());
    record.addHeader(HEADER_EVENT_ID, row.id().toString());
    record.addHeader(HEADER_EVENT_TYPE, row.type());
    String traceId = row.envelope().getString("traceId");
    if (span != null && span.isValid()) {
      record.addHeader(HEADER_TRACE_ID, traceId);
      record.addHeader(HEADER_TRACEPARENT, "00-" + traceId + "-" + span.getSpanId() + "-" + span.getTraceFlags().asHex());
    } else if (traceId != null && TRACE_ID.matcher(traceId).matches()) {
      record.addHeader(HEADER_TRACE_ID, traceId);
      record.addHeader(HEADER_TRACEPARENT, Traceparent.format(traceId, Traceparent.newSpanId()));
    } else if (traceId != null && !traceId.isBlank()) {
      record.addHeader(HEADER_TRACE_ID, traceId);
    }
    return record;
  }

  Future<Void> close() {
    return producer.close(2000);
  }
}
