package io.junction.audit;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The canonical form the chain hashes, and what a record must look like. */
class AuditChainTest {

  @Test
  void keyOrderAndNumberSpellingDoNotChangeTheHash() {
    AuditRecord a = AuditRecord.fromJson(new JsonObject().put("actor", "u").put("action", "x.y").put("outcome", "success")
      .put("at", "2026-01-15T09:30:00.123456Z").put("metadata", new JsonObject().put("b", 1.0).put("a", 1e20)));
    AuditRecord b = new AuditRecord(a.id(), a.at(), "u", "x.y", null, "success",
      new JsonObject("{\"a\": 100000000000000000000, \"b\": 1}"), null, null, null, null);
    assertThat(new JsonObject("{\"a\": 100000000000000000000}").getValue("a")).isInstanceOf(BigInteger.class);
    assertThat(AuditChain.hash(7, a, AuditChain.GENESIS)).isEqualTo(AuditChain.hash(7, b, AuditChain.GENESIS));
    // but any content change, seq or previous hash does
    assertThat(AuditChain.hash(8, a, AuditChain.GENESIS)).isNotEqualTo(AuditChain.hash(7, a, AuditChain.GENESIS));
    assertThat(AuditChain.hash(7, a, "1".repeat(64))).isNotEqualTo(AuditChain.hash(7, a, AuditChain.GENESIS));
  }

  @Test
  void badRecordsAreRefusedNamingEachProblem() {
    assertThatThrownBy(() -> AuditRecord.fromJson(new JsonObject().put("actor", "").put("action", 5).put("at", "noon")))
      .hasMessageContaining("actor is required").hasMessageContaining("action is required")
      .hasMessageContaining("outcome is required").hasMessageContaining("at must be an ISO-8601 instant");
    assertThatThrownBy(() -> AuditRecord.fromJson(new JsonObject().put("actor", "a").put("action", "b").put("outcome", "c")
      .put("metadata", new JsonObject().put("k", "v\u0000"))))
      .hasMessageContaining("NUL");
    assertThatThrownBy(() -> AuditRecord.fromJson(new JsonObject().put("actor", "a").put("action", "b").put("outcome", "c")
      .put("at", "+20000-01-01T00:00:00Z"))).hasMessageContaining("between years");
    assertThatThrownBy(() -> AuditRecord.fromJson(new JsonObject().put("actor", "a").put("action", "b").put("outcome", "c")
      .put("target", 42))).hasMessageContaining("target must be a string");
  }

  @Test
  void anEntrySurvivesItsArchiveLineFormat() {
    AuditRecord r = AuditRecord.fromJson(new JsonObject().put("actor", "u").put("action", "x").put("outcome", "ok")
      .put("metadata", new JsonObject().put("n", 3)));
    AuditEntry e = new AuditEntry(5, r, AuditChain.GENESIS, AuditChain.hash(5, r, AuditChain.GENESIS));
    AuditEntry back = AuditEntry.fromJson(new JsonObject(e.toJson().encode()));
    assertThat(back.selfConsistent()).isTrue();
    assertThat(back.toJson()).isEqualTo(e.toJson());
  }
}
