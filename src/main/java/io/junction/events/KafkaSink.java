package io.junction.events;

import io.junction.observability.Traceparent;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
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
 */
final class KafkaSink {
  static final String HEADER_EVENT_ID = "event-id";
  static final String HEADER_EVENT_TYPE = "event-type";
  static final String HEADER_TRACE_ID = "trace-id";
  static final String HEADER_TRACEPARENT = "traceparent";
  private static final Logger LOG = LoggerFactory.getLogger(KafkaSink.class);
  private static final Pattern TRACE_ID = Pattern.compile("^[0-9a-f]{32}$");

  private final KafkaProducer<String, String> producer;

  KafkaSink(Vertx vertx, RelaySettings settings) {
    long timeout = settings.sendTimeout().toMillis();
    long linger = 5;
    this.producer = KafkaProducer.create(vertx, Map.ofEntries(
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
      Map.entry("reconnect.backoff.max.ms", "1000")));
  }

  /**
   * Sends the rows in order and completes once each has been acknowledged or has failed (never while one is
   * still in flight, so a retry cannot overtake it). Succeeds with the rows Kafka refused for good (see
   * {@link #refusedForGood}), usually none; fails when any other send failed: the whole batch is to be retried.
   */
  Future<List<OutboxRow>> send(List<OutboxRow> rows) {
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
        Future<RecordMetadata> ack;
        try {
          ack = producer.send(record(row));
        } catch (RuntimeException e) {
          ack = Future.failedFuture(e);
        }
        outcomes.add(ack.transform(ar -> Future.succeededFuture(ar.failed() ? ar.cause() : null)));
      }
      return Future.all(outcomes).compose(all -> {
        List<OutboxRow> refused = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
          Throwable failure = outcomes.get(i).result();
          if (failure == null) {
            continue;
          }
          if (!refusedForGood(failure)) {
            return Future.failedFuture(failure);
          }
          refused.add(rows.get(i));
          LOG.error("events: Kafka refuses event {} ({}) for good, skipping it so the events behind it are not blocked: {}",
            rows.get(i).id(), rows.get(i).type(), failure.toString());
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

  static KafkaProducerRecord<String, String> record(OutboxRow row) {
    KafkaProducerRecord<String, String> record = KafkaProducerRecord.create(row.topic(), row.key(), row.envelope().encode());
    record.addHeader(HEADER_EVENT_ID, row.id().toString());
    record.addHeader(HEADER_EVENT_TYPE, row.type());
    String traceId = row.envelope().getString("traceId");
    if (traceId != null && TRACE_ID.matcher(traceId).matches()) {
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
