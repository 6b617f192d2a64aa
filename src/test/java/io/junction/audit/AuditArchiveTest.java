package io.junction.audit;

import io.junction.testkit.ContractClient;
import io.junction.testkit.JunctionTestKit;
import io.junction.testkit.TestPostgres;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static io.junction.audit.AuditTestSupport.append;
import static io.junction.audit.AuditTestSupport.record;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Archive round trip, with Junction running as a restricted application role (no UPDATE/DELETE on the audit
 * tables, member of junction_audit_archiver): archive → rows gone from the table → verify across files and
 * table → one byte changed in a file is found.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class AuditArchiveTest {

  @Test
  void archiveRoundTripAsTheRestrictedRole(@TempDir Path archiveDir) throws Exception {
    String db = TestPostgres.newDatabase();
    try {
      // The owner migrates once; then Junction runs as the application role.
      JunctionTestKit.builder().database(db).start().close();
      AuditTestSupport.createAppRole(db, "junction_app");
      String asApp = db.replace("postgresql://postgres@", "postgresql://junction_app@");
      try (JunctionTestKit kit = JunctionTestKit.builder().database(asApp)
             .env("JUNCTION_AUDIT_ARCHIVEAFTER", "1s").env("JUNCTION_AUDIT_ARCHIVEDIR", archiveDir.toString())
             .env("JUNCTION_AUDIT_ARCHIVEINTERVAL", "0").env("JUNCTION_AUDIT_VERIFYINTERVAL", "0").start();
           ContractClient admin = ContractClient.admin(kit)) {
        String token = AuditTestSupport.adminToken(kit);
        for (int i = 0; i < 300; i++) {
          append(kit, record("test.archive", i));
        }
        Thread.sleep(1200); // everything so far is now older than audit.archiveAfter
        long total = AuditTestSupport.count(db, "");

        JsonObject run = kit.vertx().eventBus().<JsonObject>request(AuditVerticle.ARCHIVE_ADDRESS, new JsonObject())
          .await(60, TimeUnit.SECONDS).body();
        assertThat(run.getLong("rows")).isEqualTo(total);
        for (int i = 0; i < 10; i++) {
          append(kit, record("test.after-archive", i));
        }
        assertThat(AuditTestSupport.count(db, "seq <= " + total)).isZero();
        assertThat(AuditTestSupport.count(db, "")).isGreaterThanOrEqualTo(10);

        List<Path> files;
        try (Stream<Path> list = Files.list(archiveDir)) {
          files = list.filter(p -> p.toString().endsWith(ArchiveFiles.SUFFIX)).sorted().toList();
        }
        assertThat(files).isNotEmpty();
        JsonObject manifest = new JsonObject(Files.readString(Path.of(files.get(0) + ArchiveFiles.MANIFEST_SUFFIX)));
        assertThat(manifest.getLong("firstSeq")).isEqualTo(1);
        assertThat(manifest.getString("sha256")).isEqualTo(ArchiveFiles.sha256(files.get(0)));

        JsonObject across = AuditTestSupport.verify(admin, token, "");
        assertThat(across.getBoolean("ok")).as(across.encode()).isTrue();
        assertThat(across.getInteger("archives")).isEqualTo(files.size());
        assertThat(across.getLong("fromSeq")).isEqualTo(1);
        assertThat(across.getLong("checked")).isGreaterThanOrEqualTo(total + 10);
        // A second run finds nothing due, and the table alone still links to the last archived hash.
        assertThat(kit.vertx().eventBus().<JsonObject>request(AuditVerticle.ARCHIVE_ADDRESS, new JsonObject())
          .await(60, TimeUnit.SECONDS).body().getLong("rows")).isZero();
        assertThat(AuditTestSupport.verify(admin, token, "?archives=false").getBoolean("ok")).isTrue();

        // One byte changed in the middle of an archive file.
        byte[] bytes = Files.readAllBytes(files.get(0));
        bytes[bytes.length / 2] ^= 0x01;
        Files.write(files.get(0), bytes);
        JsonObject tampered = AuditTestSupport.verify(admin, token, "");
        assertThat(tampered.getBoolean("ok")).isFalse();
        assertThat(tampered.getLong("firstBadSeq")).isEqualTo(manifest.getLong("firstSeq"));
        assertThat(tampered.getString("reason")).contains(files.get(0).getFileName().toString()).contains("SHA-256");

        // A missing archive file is found too.
        Files.delete(files.get(0));
        assertThat(AuditTestSupport.verify(admin, token, "").getString("reason")).contains("missing");
      }
    } finally {
      TestPostgres.dropDatabase(db);
    }
  }

  @Test
  void aFileRewrittenWithAValidGzipButOtherContentIsFound(@TempDir Path archiveDir) throws Exception {
    try (JunctionTestKit kit = JunctionTestKit.builder().env("JUNCTION_AUDIT_ARCHIVEAFTER", "1s")
           .env("JUNCTION_AUDIT_ARCHIVEDIR", archiveDir.toString()).env("JUNCTION_AUDIT_ARCHIVEINTERVAL", "0")
           .env("JUNCTION_AUDIT_VERIFYINTERVAL", "0").start();
         ContractClient admin = ContractClient.admin(kit)) {
      String token = AuditTestSupport.adminToken(kit);
      for (int i = 0; i < 20; i++) {
        append(kit, record("test.rewrite", i));
      }
      Thread.sleep(1200);
      kit.vertx().eventBus().request(AuditVerticle.ARCHIVE_ADDRESS, new JsonObject()).await(60, TimeUnit.SECONDS);
      Path file;
      try (Stream<Path> list = Files.list(archiveDir)) {
        file = list.filter(p -> p.toString().endsWith(ArchiveFiles.SUFFIX)).findFirst().orElseThrow();
      }
      // Rewrite the file (and its manifest next to it) with one entry's metadata changed: the database's record
      // of the file's SHA-256 still gives it away.
      List<String> lines = new java.util.ArrayList<>();
      ArchiveFiles.read(file, e -> lines.add(e.toJson().encode()));
      lines.set(3, new JsonObject(lines.get(3)).put("actor", "mallory").encode());
      try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(file))) {
        out.write((String.join("\n", lines) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
      }
      Path manifestFile = Path.of(file + ArchiveFiles.MANIFEST_SUFFIX);
      Files.writeString(manifestFile, new JsonObject(Files.readString(manifestFile)).put("sha256", ArchiveFiles.sha256(file)).encode());
      JsonObject result = AuditTestSupport.verify(admin, token, "");
      assertThat(result.getBoolean("ok")).isFalse();
      assertThat(result.getLong("firstBadSeq")).isEqualTo(1);
    }
  }
}
