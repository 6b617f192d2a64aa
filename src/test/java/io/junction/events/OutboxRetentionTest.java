package io.junction.events;

import io.junction.testkit.FreePorts;
import io.junction.testkit.JunctionTestKit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static io.junction.events.OutboxFixture.await;
import static io.junction.events.OutboxFixture.sql;
import static io.junction.events.OutboxFixture.sqlLong;
import static io.junction.events.OutboxFixture.sqlTrue;
import static org.assertj.core.api.Assertions.assertThat;

/** Published rows go after the retention; unpublished rows stay however old they are. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OutboxRetentionTest {

  @Test
  void retentionDeletesOldPublishedRowsOnly() throws Exception {
    // Kafka configured but unreachable: nothing gets published, so the unpublished row below stays so.
    try (JunctionTestKit kit = JunctionTestKit.builder()
      .env("JUNCTION_KAFKA_BOOTSTRAPSERVERS", "127.0.0.1:" + FreePorts.next())
      .env("JUNCTION_KAFKA_RELAY_SENDTIMEOUT", "1s")
      .env("JUNCTION_KAFKA_RELAY_RETENTION", "30s")
      .start()) {
      String insert = "INSERT INTO outbox (id, topic, key, envelope, created_at, published_at, attempts) VALUES ";
      sql(kit, insert
        + "('00000000-0000-4000-8000-000000000001', 'junction.route', 'old', '{\"type\":\"route.created\"}', now() - interval '10 days', now() - interval '10 days', 1),"
        + "('00000000-0000-4000-8000-000000000002', 'junction.route', 'recent', '{\"type\":\"route.created\"}', now() - interval '10 days', now(), 3),"
        + "('00000000-0000-4000-8000-000000000003', 'junction.route', 'stuck', '{\"type\":\"route.created\"}', now() - interval '10 days', NULL, 9)");
      await(Duration.ofSeconds(15), "the old published row deleted", sqlTrue(kit,
        "SELECT (count(*) = 0)::int FROM outbox WHERE key = 'old'"));
      assertThat(sqlLong(kit, "SELECT count(*) FROM outbox WHERE key = 'recent'")).as("published within the retention").isEqualTo(1);
      assertThat(sqlLong(kit, "SELECT count(*) FROM outbox WHERE key = 'stuck' AND published_at IS NULL")).as("never published").isEqualTo(1);
    }
  }
}
