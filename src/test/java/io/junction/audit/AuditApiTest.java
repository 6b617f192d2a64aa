package io.junction.audit;

import io.junction.testkit.ContractClient;
import io.junction.testkit.JunctionTestKit;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static io.junction.audit.AuditTestSupport.append;
import static io.junction.audit.AuditTestSupport.record;
import static org.assertj.core.api.Assertions.assertThat;

/** Recording (bus and admin middleware), querying, exporting and verifying through the admin API. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class AuditApiTest {
  static JunctionTestKit kit;
  static ContractClient admin;
  static String token;

  @BeforeAll
  static void start() {
    kit = JunctionTestKit.builder().env("JUNCTION_AUDIT_VERIFYINTERVAL", "0").env("JUNCTION_AUDIT_ARCHIVEINTERVAL", "0").start();
    admin = ContractClient.admin(kit);
    token = AuditTestSupport.adminToken(kit);
  }

  @AfterAll
  static void stop() {
    admin.close();
    kit.close();
  }

  @Test
  void aRecordIsAcknowledgedWithItsPlaceInTheChain() throws Exception {
    JsonObject first = append(kit, record("test.ack", 1));
    JsonObject second = append(kit, record("test.ack", 2));
    assertThat(second.getLong("seq")).isGreaterThan(first.getLong("seq"));
    assertThat(first.getString("hash")).matches("[0-9a-f]{64}");
    JsonObject page = admin.get("/api/v1/audit?action=test.ack").bearer(token).send().json();
    JsonArray items = page.getJsonArray("items");
    assertThat(items).hasSize(2);
    // newest first, and the newer one links to the older one
    assertThat(items.getJsonObject(0).getLong("seq")).isEqualTo(second.getLong("seq"));
    assertThat(items.getJsonObject(0).getString("prevHash")).isEqualTo(first.getString("hash"));
    assertThat(items.getJsonObject(1).getJsonObject("metadata").getJsonObject("nested").getDouble("b")).isEqualTo(2.5);
  }

  @Test
  void aBadRecordIsRefusedOnTheBusNamingTheField() {
    assertThat(kit.vertx().eventBus().request(AuditVerticle.RECORD_ADDRESS, new JsonObject().put("actor", "x").put("outcome", "y"))
      .toCompletionStage().toCompletableFuture().handle((ok, err) -> err.getMessage()).join()).contains("action is required");
    assertThat(kit.vertx().eventBus().request(AuditVerticle.RECORD_ADDRESS, record("test.nul", 1).put("target", "a\u0000b"))
      .toCompletionStage().toCompletableFuture().handle((ok, err) -> err.getMessage()).join()).contains("NUL");
  }

  @Test
  void everyMutatingAdminRequestIsRecordedWithItsStatusAndActor() throws Exception {
    String requestId = "audit-mw-" + System.nanoTime();
    ContractClient.Response created = admin.post("/api/v1/roles").bearer(token).header("X-Request-Id", requestId)
      .json(new JsonObject().put("id", "auditor-" + (System.nanoTime() % 100000))
        .put("description", "reads the audit log")).send();
    assertThat(created.status()).isEqualTo(201);
    ContractClient.Response refused = admin.post("/api/v1/roles").header("X-Request-Id", requestId + "-anon")
      .json(new JsonObject().put("id", "nobody")).send();
    assertThat(refused.status()).isEqualTo(401);

    JsonObject mine = waitForOne("?requestId=" + requestId + "&action=admin.");
    assertThat(mine.getString("action")).isEqualTo("admin.post");
    assertThat(mine.getString("target")).isEqualTo("/api/v1/roles");
    assertThat(mine.getString("outcome")).isEqualTo("success");
    assertThat(mine.getString("actor")).isNotEqualTo("anonymous");
    assertThat(mine.getString("userAgent")).startsWith("Vert.x-WebClient");
    assertThat(mine.getString("ip")).isEqualTo("127.0.0.1");
    assertThat(mine.getJsonObject("metadata")).isEqualTo(new JsonObject().put("method", "POST").put("path", "/api/v1/roles")
      .put("status", 201).put("operationId", "createRole"));
    // the domain record of the same request is there too
    assertThat(admin.get("/api/v1/audit?requestId=" + requestId + "&action=identity.role").bearer(token).send().json()
      .getJsonArray("items")).hasSize(1);

    JsonObject anon = waitForOne("?requestId=" + requestId + "-anon");
    assertThat(anon.getString("actor")).isEqualTo("anonymous");
    assertThat(anon.getString("outcome")).isEqualTo("denied");
    assertThat(anon.getJsonObject("metadata").getInteger("status")).isEqualTo(401);

    // reads are not recorded by the middleware
    admin.get("/api/v1/roles").bearer(token).header("X-Request-Id", requestId + "-read").send();
    assertThat(admin.get("/api/v1/audit?requestId=" + requestId + "-read").bearer(token).send().json().getJsonArray("items")).isEmpty();
  }

  @Test
  void filtersAndCursorPagesWalkEverythingNewestFirst() throws Exception {
    String actor = "pager-" + System.nanoTime();
    for (int i = 0; i < 25; i++) {
      append(kit, record("test.page." + (i % 2 == 0 ? "even" : "odd"), i).put("actor", actor).put("outcome", i < 5 ? "failure" : "success"));
    }
    List<Long> seen = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      ContractClient.Response r = admin.get("/api/v1/audit?actor=" + actor + "&limit=10" + (cursor == null ? "" : "&cursor=" + cursor))
        .bearer(token).send();
      assertThat(r.status()).isEqualTo(200);
      r.json().getJsonArray("items").forEach(o -> seen.add(((JsonObject) o).getLong("seq")));
      cursor = r.json().getString("nextCursor");
      pages++;
    } while (cursor != null);
    assertThat(pages).isEqualTo(3);
    assertThat(seen).hasSize(25).doesNotHaveDuplicates();
    assertThat(seen).isSortedAccordingTo((a, b) -> Long.compare(b, a));
    assertThat(count("?actor=" + actor + "&action=test.page.even")).isEqualTo(13);
    assertThat(count("?actor=" + actor + "&action=test.page.")).isEqualTo(25);
    assertThat(count("?actor=" + actor + "&outcome=failure")).isEqualTo(5);
    assertThat(count("?actor=" + actor + "&target=thing-7")).isEqualTo(1);
    assertThat(count("?actor=" + actor + "&from=2000-01-01T00:00:00Z&to=2000-12-31T00:00:00Z")).isZero();
    assertThat(count("?actor=" + actor + "&from=2000-01-01T00:00:00Z")).isEqualTo(25);
  }

  @Test
  void exportsStreamJsonLinesAndCsvInChainOrder() throws Exception {
    String actor = "exporter-" + System.nanoTime();
    for (int i = 0; i < 30; i++) {
      append(kit, record("test.export", i).put("actor", actor).put("target", i == 3 ? "has,comma \"and quotes\"" : "t" + i));
    }
    ContractClient.Response jsonl = admin.get("/api/v1/audit/export?actor=" + actor).bearer(token).send();
    assertThat(jsonl.status()).isEqualTo(200);
    assertThat(jsonl.header("Content-Type")).isEqualTo("application/x-ndjson");
    String[] lines = jsonl.text().split("\n");
    assertThat(lines).hasSize(30);
    long prev = 0;
    for (String line : lines) {
      AuditEntry e = AuditEntry.fromJson(new JsonObject(line));
      assertThat(e.selfConsistent()).as("line " + line).isTrue();
      assertThat(e.seq()).isGreaterThan(prev);
      prev = e.seq();
    }
    ContractClient.Response csv = admin.get("/api/v1/audit/export?format=csv&limit=5&actor=" + actor).bearer(token).send();
    assertThat(csv.header("Content-Type")).startsWith("text/csv");
    String[] rows = csv.text().split("\r\n");
    assertThat(rows).hasSize(6);
    assertThat(rows[0]).isEqualTo("seq,id,at,actor,action,target,outcome,metadata,requestId,traceId,ip,userAgent,prevHash,hash");
    assertThat(rows[4]).contains("\"has,comma \"\"and quotes\"\"\"").contains("\"{\"\"i\"\":3");
    ContractClient.Response none = admin.get("/api/v1/audit/export?format=csv&actor=nobody-" + actor).bearer(token).send();
    assertThat(none.text()).isEqualTo("seq,id,at,actor,action,target,outcome,metadata,requestId,traceId,ip,userAgent,prevHash,hash\r\n");
  }

  @Test
  void verifyChecksTheWholeChainAndRanges() throws Exception {
    append(kit, record("test.verify", 1));
    JsonObject all = AuditTestSupport.verify(admin, token, "");
    assertThat(all.getBoolean("ok")).isTrue();
    assertThat(all.getLong("checked")).isEqualTo(AuditTestSupport.count(kit.databaseUrl(), ""));
    assertThat(all.getLong("fromSeq")).isEqualTo(1);
    JsonObject range = AuditTestSupport.verify(admin, token, "?from=2&to=3");
    assertThat(range.getLong("checked")).isEqualTo(2);
    assertThat(range.getLong("fromSeq")).isEqualTo(2);
    JsonObject byTime = AuditTestSupport.verify(admin, token, "?from=2000-01-01T00:00:00Z&archives=false");
    assertThat(byTime.getBoolean("ok")).isTrue();
    assertThat(byTime.getLong("checked")).isEqualTo(all.getLong("checked"));
    JsonObject future = AuditTestSupport.verify(admin, token, "?from=2999-01-01T00:00:00Z");
    assertThat(future.getLong("checked")).isZero();
  }

  @Test
  void badQueriesAreRefusedNamingTheParameter() {
    assertBad("/api/v1/audit?from=yesterday", "from");
    assertBad("/api/v1/audit?to=2026-13-45T00:00:00Z", "to");
    assertBad("/api/v1/audit?limit=1000000", "limit");
    assertBad("/api/v1/audit?limit=0", "limit");
    assertBad("/api/v1/audit?colour=red", "colour");
    assertBad("/api/v1/audit?cursor=bm90LWEtY3Vyc29y", "cursor");
    assertBad("/api/v1/audit?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z", "from");
    assertBad("/api/v1/audit/export?format=xml", "format");
    assertBad("/api/v1/audit/export?limit=-1", "limit");
    assertBad("/api/v1/audit/verify?from=last-tuesday", "from");
    assertBad("/api/v1/audit/verify?archives=maybe", "archives");
    assertThat(admin.get("/api/v1/audit").send().status()).isEqualTo(401);
  }

  private static void assertBad(String uri, String field) {
    ContractClient.Response r = admin.get(uri).bearer(token).send();
    assertThat(r.status()).as(uri + " → " + r.text()).isEqualTo(400);
    assertThat(r.error()).isEqualTo("invalid_request");
    Set<String> fields = new HashSet<>();
    r.json().getJsonArray("details").forEach(d -> fields.add(((JsonObject) d).getString("field")));
    assertThat(fields).as(uri + " → " + r.text()).contains(field);
  }

  private static int count(String query) {
    return admin.get("/api/v1/audit" + query + "&limit=1000").bearer(token).send().json().getJsonArray("items").size();
  }

  /** The middleware records after the response: poll briefly for the one entry a query names. */
  private static JsonObject waitForOne(String query) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      JsonArray items = admin.get("/api/v1/audit" + query).bearer(token).send().json().getJsonArray("items");
      if (items.size() == 1) {
        return items.getJsonObject(0);
      }
      assertThat(items.size()).isLessThanOrEqualTo(1);
      Thread.sleep(50);
    }
    throw new AssertionError("no audit entry for " + query);
  }
}
