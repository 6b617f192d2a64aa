package io.junction.routes;

import io.junction.testkit.Eventually;
import io.junction.testkit.JunctionTestKit;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** backup.schedule: intervals and cron expressions (5 fields, or 6 with seconds), bad values naming the key. */
class BackupScheduleTest {
  private static final ZonedDateTime AT = ZonedDateTime.parse("2026-03-10T02:59:30Z");

  @Test
  void cronExpressionsPlanTheNextRunInUtc() {
    assertThat(BackupSchedule.parse("0 3 * * *").untilNext(AT)).contains(Duration.ofSeconds(30));
    assertThat(BackupSchedule.parse("30 2 * * *").untilNext(AT)).contains(Duration.ofHours(23).plusMinutes(30).plusSeconds(30));
    assertThat(BackupSchedule.parse("0 0 * * 0").untilNext(AT)).as("Sundays at midnight: 2026-03-15")
      .contains(Duration.between(AT, ZonedDateTime.parse("2026-03-15T00:00:00Z")));
    assertThat(BackupSchedule.parse("*/10 * * * * *").untilNext(AT)).as("seconds first").contains(Duration.ofSeconds(10));
    assertThat(BackupSchedule.parse("  0   3 * * *  ").untilNext(AT)).contains(Duration.ofSeconds(30));
  }

  @Test
  void intervalsAndOffStillWork() {
    assertThat(BackupSchedule.parse("6h").untilNext(AT)).contains(Duration.ofHours(6));
    assertThat(BackupSchedule.parse("150ms").untilNext(AT)).contains(Duration.ofMillis(150));
    assertThat(BackupSchedule.parse("").off()).isTrue();
    assertThat(BackupSchedule.parse(null).untilNext(AT)).isEmpty();
  }

  @Test
  void badValuesAreRefusedNamingTheKey() {
    for (String bad : List.of("0 25 * * *", "61 * * * *", "* * * *", "1 2 3 4 5 6 7", "0 3 * * funday", "soon", "0s", "0 0 30 2 *")) {
      assertThatThrownBy(() -> BackupSchedule.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("config key 'backup.schedule': value \"" + bad + "\" is not valid");
    }
    assertThatThrownBy(() -> BackupSchedule.parse("0 0 30 2 *")).hasMessageContaining("never fires");
    assertThatThrownBy(() -> BackupSchedule.parse("0 25 * * *")).hasMessageContaining("not a valid cron expression");
  }

  @Test
  void aBadScheduleStopsTheStartNamingTheKey() {
    assertThatThrownBy(() -> JunctionTestKit.builder().env("JUNCTION_BACKUP_SCHEDULE", "0 25 * * *").start())
      .hasMessageContaining("module routes").hasMessageContaining("backup.schedule");
    assertThatThrownBy(() -> JunctionTestKit.builder().env("JUNCTION_BACKUP_SCHEDULE", "every day").start())
      .hasMessageContaining("backup.schedule");
  }

  @Test
  void aCronScheduleWritesBackupsAndKeepsTheNewest() throws Exception {
    Path dir = Files.createTempDirectory("junction-cron-backups");
    try (JunctionTestKit kit = JunctionTestKit.builder().env("JUNCTION_BACKUP_SCHEDULE", "* * * * * *")
      .env("JUNCTION_BACKUP_DIR", dir.toString()).env("JUNCTION_BACKUP_KEEP", "2").start()) {
      // every second, on the second: three runs within a few seconds (each file is seen before it is pruned)
      Set<String> seen = new TreeSet<>();
      Eventually.until("three cron runs", Duration.ofSeconds(10), () -> {
        try (Stream<Path> listed = Files.list(dir)) {
          listed.forEach(f -> seen.add(f.getFileName().toString()));
        }
        return seen.size() >= 3;
      });
      // one per second: no two runs in the same second
      assertThat(seen.stream().map(n -> n.substring(0, "junction-backup-20260310T025930".length())).distinct().count()).isEqualTo(seen.size());
    }
    List<Path> files;
    try (Stream<Path> listed = Files.list(dir)) {
      files = listed.sorted().toList();
    }
    assertThat(files).hasSize(2);
    for (Path file : files) {
      String name = file.getFileName().toString();
      assertThat(name).matches("junction-backup-\\d{8}T\\d{6}\\.\\d{3}Z\\.json");
      JsonObject backup = new JsonObject(Files.readString(file));
      assertThat(backup.getString("checksum")).isEqualTo(Backups.checksum(backup));
    }
  }
}
