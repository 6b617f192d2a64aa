package io.junction.events;

import io.junction.testkit.ContractClient;
import io.junction.testkit.JunctionTestKit;
import io.junction.testkit.TestKafka;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static io.junction.events.OutboxFixture.await;
import static io.junction.events.OutboxFixture.sqlLong;
import static io.junction.events.OutboxFixture.sqlTrue;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * An event the broker refuses for good (larger than its topic's max.message.bytes) becomes a dead letter: the row
 * stays, marked failed with the error, counted, not retried, and neither the events of other keys nor the later
 * events of its own key wait for it. An administrator lists it and, once the topic accepts it, retries it.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DeadLetterTest {
  /** Unique per run: the broker may outlive one test class (TestKafka is shared by the JVM). */
  static final String FAMILY = "bulky-" + UUID.randomUUID().toString().substring(0, 8);
  static final String TOPIC = "junction." + FAMILY;
  static TestKafka kafka;
  static JunctionTestKit kit;
  static Pool pool;
  static Admin admin;

  @BeforeAll
  static void start() throws Exception {
    kafka = TestKafka.get();
    admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()));
    // The broker's own limit for this topic: 4 KiB (the producer's limit, 1 MiB, lets the record through to the broker).
    admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1).configs(Map.of("max.message.bytes", "4096")))).all().get(30, TimeUnit.SECONDS);
    kit = JunctionTestKit.builder().env("JUNCTION_KAFKA_BOOTSTRAPSERVERS", kafka.bootstrapServers()).start();
    pool = OutboxFixture.pool(kit);
  }

  @AfterAll
  static void stop() {
    if (pool != null) {
      pool.close();
    }
    if (kit != null) {
      kit.close();
    }
    if (admin != null) {
      admin.close();
    }
  }

  @Test
  void aRecordTheBrokerRefusesIsADeadLetterThatBlocksNothingAndCanBeRetried() throws Exception {
    String key = "big-" + UUID.randomUUID();
    String other = "small-" + UUID.randomUUID();
    EventEnvelope before = EventEnvelope.of(FAMILY + ".changed", key, new JsonObject().put("seq", 0), null, "test");
    EventEnvelope huge = EventEnvelope.of(FAMILY + ".changed", key, new JsonObject().put("seq", 1).put("blob", "x".repeat(20_000)), null, "test");
    EventEnvelope sameKeyAfter = EventEnvelope.of(FAMILY + ".changed", key, new JsonObject().put("seq", 2), null, "test");
    EventEnvelope otherKey = EventEnvelope.of(FAMILY + ".changed", other, new JsonObject().put("seq", 3), null, "test");
    OutboxFixture.appendInSequence(pool, List.of(before, huge, sameKeyAfter, otherKey)).await(10, TimeUnit.SECONDS);

    List<ConsumerRecord<String, String>> records = OutboxFixture.consumeAll(kafka.bootstrapServers(), Set.of(TOPIC),
      Set.of(before.id(), sameKeyAfter.id(), otherKey.id()), Duration.ofSeconds(30));
    assertThat(OutboxFixture.distinctIds(records)).containsExactlyInAnyOrder(before.id(), sameKeyAfter.id(), otherKey.id());
    // its key's other events kept their order, with the dead one missing
    assertThat(records.stream().filter(r -> key.equals(r.key())).map(OutboxFixture::eventId).distinct().toList())
      .containsExactly(before.id(), sameKeyAfter.id());

    await(Duration.ofSeconds(10), "the refused row marked as a dead letter", sqlTrue(kit,
      "SELECT count(*) FROM outbox WHERE id = '" + huge.id() + "' AND failed_at IS NOT NULL AND published_at IS NULL AND last_error LIKE '%RecordTooLarge%'"));
    await(Duration.ofSeconds(10), "counted", () -> OutboxFixture.metric(kit, "junction_outbox_dead_letters_total") == 1);
    await(Duration.ofSeconds(10), "not pending", () -> OutboxFixture.metric(kit, "junction_outbox_pending") == 0);
    Thread.sleep(1500); // several relay polls: a dead letter is not retried by the relay
    assertThat(sqlLong(kit, "SELECT attempts FROM outbox WHERE id = '" + huge.id() + "'")).isEqualTo(1);
    assertThat(OutboxFixture.metric(kit, "junction_outbox_failures_total")).isZero();

    // the admin API lists it, with the error
    ContractClient api = ContractClient.admin(kit);
    String token = login();
    ContractClient.Response listed = api.request(HttpMethod.GET, "/api/v1/events/dead-letters").bearer(token).send();
    assertThat(listed.status()).isEqualTo(200);
    JsonObject item = listed.json().getJsonArray("items").getJsonObject(0);
    assertThat(item.getString("id")).isEqualTo(huge.id());
    assertThat(item.getString("key")).isEqualTo(key);
    assertThat(item.getString("type")).isEqualTo(FAMILY + ".changed");
    assertThat(item.getString("error")).contains("RecordTooLarge");
    assertThat(api.request(HttpMethod.GET, "/api/v1/events/dead-letters?cursor=bm9wZQ").bearer(token).send().status()).isEqualTo(400);
    assertThat(api.request(HttpMethod.POST, "/api/v1/events/dead-letters/" + UUID.randomUUID() + "/_retry").bearer(token).send().status())
      .isEqualTo(404);
    assertThat(api.request(HttpMethod.GET, "/api/v1/events/dead-letters").send().status()).isEqualTo(401);

    // once the topic accepts it, a retry delivers it with its original id
    admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC, TOPIC),
      List.of(new AlterConfigOp(new ConfigEntry("max.message.bytes", "1048588"), AlterConfigOp.OpType.SET)))).all().get(30, TimeUnit.SECONDS);
    ContractClient.Response retried = api.request(HttpMethod.POST, "/api/v1/events/dead-letters/" + huge.id() + "/_retry").bearer(token).send();
    assertThat(retried.status()).isEqualTo(200);
    List<ConsumerRecord<String, String>> late = OutboxFixture.consumeAll(kafka.bootstrapServers(), Set.of(TOPIC), Set.of(huge.id()), Duration.ofSeconds(30));
    assertThat(OutboxFixture.distinctIds(late)).containsExactly(huge.id());
    await(Duration.ofSeconds(10), "marked published", sqlTrue(kit,
      "SELECT count(*) FROM outbox WHERE id = '" + huge.id() + "' AND published_at IS NOT NULL AND failed_at IS NULL"));
    assertThat(api.request(HttpMethod.GET, "/api/v1/events/dead-letters").bearer(token).send().json().getJsonArray("items")).isEmpty();
    assertThat(api.request(HttpMethod.POST, "/api/v1/events/dead-letters/" + huge.id() + "/_retry").bearer(token).send().status())
      .as("no longer a dead letter").isEqualTo(404);
  }

  private static String login() {
    ContractClient.Response login = ContractClient.platform(kit).post("/auth/login")
      .json(new JsonObject().put("email", JunctionTestKit.ADMIN_EMAIL).put("password", JunctionTestKit.ADMIN_PASSWORD)).send();
    assertThat(login.status()).isEqualTo(200);
    return login.json().getString("accessToken");
  }
}
