package io.junction.events;

import io.junction.testkit.JunctionTestKit;
import io.junction.testkit.TestPostgres;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/** What the events tests share: writing events as a module does, reading Kafka and the outbox table. */
final class OutboxFixture {
  private OutboxFixture() {
  }

  /** A pool of the kit's database on the kit's Vert.x, as a module of that Junction would use. */
  static Pool pool(JunctionTestKit kit) {
    return PgBuilder.pool().with(new PoolOptions().setMaxSize(8))
      .connectingTo(PgConnectOptions.fromUri(kit.databaseUrl())).using(kit.vertx()).build();
  }

  /** Event {@code seq} of subject {@code key}: data carries both, so order and identity can be checked. */
  static EventEnvelope event(String type, String key, int seq) {
    return EventEnvelope.of(type, key, new JsonObject().put("key", key).put("seq", seq), null, "tester");
  }

  /** Each event in its own transaction, one after the other (the order of changes to one subject). */
  static Future<Void> appendInSequence(Pool pool, List<EventEnvelope> events) {
    Future<Void> chain = Future.succeededFuture();
    for (EventEnvelope e : events) {
      chain = chain.compose(v -> pool.withTransaction(tx -> Outbox.append(tx, e)));
    }
    return chain;
  }

  /** {@code keys} subjects × {@code perKey} events; one writer chain per subject, the chains running at once. */
  static List<EventEnvelope> writeConcurrently(Pool pool, String type, String keyPrefix, int keys, int perKey) throws Exception {
    List<EventEnvelope> all = new ArrayList<>();
    List<Future<Void>> chains = new ArrayList<>();
    for (int k = 0; k < keys; k++) {
      List<EventEnvelope> mine = new ArrayList<>();
      for (int s = 0; s < perKey; s++) {
        mine.add(event(type, keyPrefix + k, s));
      }
      all.addAll(mine);
      chains.add(appendInSequence(pool, mine));
    }
    Future.all(chains).await(60, TimeUnit.SECONDS);
    return all;
  }

  static Set<String> ids(Collection<EventEnvelope> events) {
    Set<String> ids = new HashSet<>();
    events.forEach(e -> ids.add(e.id()));
    return ids;
  }

  /**
   * Reads the topics from the beginning (no consumer group) until {@code done} holds for the records that pass
   * {@code filter}, or fails after {@code limit}.
   */
  static List<ConsumerRecord<String, String>> consume(String bootstrap, Set<String> topics,
                                                      Predicate<ConsumerRecord<String, String>> filter,
                                                      Predicate<List<ConsumerRecord<String, String>>> done,
                                                      Duration limit) {
    List<ConsumerRecord<String, String>> seen = new ArrayList<>();
    long deadline = System.nanoTime() + limit.toNanos();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
      "bootstrap.servers", bootstrap, "enable.auto.commit", "false", "auto.offset.reset", "earliest",
      "allow.auto.create.topics", "false", "default.api.timeout.ms", "5000"),
      new StringDeserializer(), new StringDeserializer())) {
      Set<TopicPartition> assigned = new HashSet<>();
      while (true) {
        Set<TopicPartition> wanted = new HashSet<>();
        for (String topic : topics) {
          List<PartitionInfo> parts = consumer.listTopics(Duration.ofSeconds(5)).getOrDefault(topic, List.of());
          parts.forEach(p -> wanted.add(new TopicPartition(p.topic(), p.partition())));
        }
        if (!wanted.equals(assigned)) {
          Set<TopicPartition> added = new HashSet<>(wanted);
          added.removeAll(assigned);
          consumer.assign(wanted);
          consumer.seekToBeginning(added);
          assigned = wanted;
        }
        if (!assigned.isEmpty()) {
          for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
            if (filter.test(r)) {
              seen.add(r);
            }
          }
        } else {
          sleep(100);
        }
        if (done.test(seen)) {
          return seen;
        }
        if (System.nanoTime() > deadline) {
          throw new AssertionError("Kafka: condition not met within " + limit + "; " + seen.size() + " matching records read");
        }
      }
    }
  }

  /** Records carrying one of these ids, read until every id has arrived (then a short extra read for late duplicates). */
  static List<ConsumerRecord<String, String>> consumeAll(String bootstrap, Set<String> topics, Set<String> ids, Duration limit) {
    List<ConsumerRecord<String, String>> records = consume(bootstrap, topics, r -> ids.contains(eventId(r)),
      seen -> distinctIds(seen).containsAll(ids), limit);
    // Duplicates sent in the same attempt land next to their first copy; read a moment more to catch them.
    long settle = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500);
    List<ConsumerRecord<String, String>> more = consume(bootstrap, topics, r -> ids.contains(eventId(r)),
      seen -> System.nanoTime() > settle && distinctIds(seen).containsAll(ids), limit);
    return more.size() > records.size() ? more : records;
  }

  static String eventId(ConsumerRecord<String, String> r) {
    return new JsonObject(r.value()).getString("id");
  }

  static Set<String> distinctIds(List<ConsumerRecord<String, String>> records) {
    Set<String> ids = new HashSet<>();
    records.forEach(r -> ids.add(eventId(r)));
    return ids;
  }

  /** Keeps the first copy of each event (what a consumer deduplicating by id does). */
  static List<JsonObject> dedupe(List<ConsumerRecord<String, String>> records) {
    Map<String, JsonObject> first = new LinkedHashMap<>();
    records.forEach(r -> first.putIfAbsent(eventId(r), new JsonObject(r.value())));
    return new ArrayList<>(first.values());
  }

  /** Within each subject, seq must go 0, 1, 2, ... in the order received (after dropping duplicates by id). */
  static void assertInOrderPerKey(List<JsonObject> envelopes, int perKey, int keys) {
    Map<String, List<Integer>> perSubject = new LinkedHashMap<>();
    envelopes.forEach(e -> perSubject.computeIfAbsent(e.getString("subject"), k -> new ArrayList<>())
      .add(e.getJsonObject("data").getInteger("seq")));
    assertThat(perSubject).hasSize(keys);
    List<Integer> expected = new ArrayList<>();
    for (int i = 0; i < perKey; i++) {
      expected.add(i);
    }
    perSubject.forEach((subject, seqs) -> assertThat(seqs).as("order of subject " + subject).isEqualTo(expected));
  }

  static long sqlLong(JunctionTestKit kit, String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(TestPostgres.jdbcUrl(kit.databaseUrl()));
         Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  static void sql(JunctionTestKit kit, String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(TestPostgres.jdbcUrl(kit.databaseUrl()));
         Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }

  /** The value of one Prometheus sample (first line starting with the name), or NaN when absent. */
  static double metric(JunctionTestKit kit, String name) {
    for (String line : kit.admin("/metrics").body().split("\n")) {
      if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return Double.NaN;
  }

  static void await(Duration limit, String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + limit + ": " + what);
      }
      Thread.sleep(50);
    }
  }

  static BooleanSupplier sqlTrue(JunctionTestKit kit, String sql) {
    return () -> {
      try {
        return sqlLong(kit, sql) > 0;
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    };
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
