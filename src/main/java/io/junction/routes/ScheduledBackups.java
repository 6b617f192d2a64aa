package io.junction.routes;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.file.FileSystem;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * {@code backup.schedule} ({@link BackupSchedule}: an interval or a cron expression): at each time, a backup file
 * {@code junction-backup-<UTC time>.json} in {@code backup.dir}, then all but the newest {@code backup.keep} such
 * files are deleted. Each node writes to its own directory; a failed run is logged and the next one tries again.
 * The next run is planned when the previous one ends, so runs never overlap.
 */
final class ScheduledBackups {
  private static final Logger LOG = LoggerFactory.getLogger(ScheduledBackups.class);
  static final String PREFIX = "junction-backup-";
  private static final DateTimeFormatter NAME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);

  private final Vertx vertx;
  private final Backups backups;
  private final String dir;
  private final int keep;
  private final BackupSchedule schedule;
  private final Clock clock;
  private long timer = -1;
  private boolean stopped;

  /** @throws IllegalArgumentException when {@code backup.schedule} is not valid (naming the key) */
  ScheduledBackups(Vertx vertx, Backups backups, JsonObject settings, Clock clock) {
    this.vertx = vertx;
    this.backups = backups;
    this.clock = clock;
    JsonObject s = settings == null ? new JsonObject() : settings;
    this.schedule = BackupSchedule.parse(s.getString("schedule", ""));
    this.dir = s.getString("dir", "data/backups");
    this.keep = s.getInteger("keep", 7);
  }

  void start() {
    if (!schedule.off()) {
      LOG.info("backups {} to {} (keeping {})", schedule, dir, keep);
      planNext();
    }
  }

  private void planNext() {
    if (stopped) {
      return;
    }
    schedule.untilNext(ZonedDateTime.now(clock.withZone(ZoneOffset.UTC))).ifPresent(delay -> timer = vertx.setTimer(Math.max(1, delay.toMillis()),
      id -> run().onFailure(err -> LOG.error("scheduled backup failed: {}", err.getMessage())).onComplete(ar -> planNext())));
  }

  void stop() {
    stopped = true;
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  /** Writes one backup now and prunes old ones; completes with the file's path. */
  Future<String> run() {
    FileSystem fs = vertx.fileSystem();
    return backups.take().compose(backup -> fs.mkdirs(dir).compose(v -> {
      String path = dir + "/" + PREFIX + NAME.format(Instant.now(clock)) + ".json";
      return fs.writeFile(path, io.vertx.core.buffer.Buffer.buffer(backup.encodePrettily())).map(path);
    })).compose(path -> fs.readDir(dir, PREFIX + ".*\\.json").compose(files -> {
      List<String> sorted = files.stream().sorted().toList(); // names sort by time
      Future<Void> deleted = Future.succeededFuture();
      for (int i = 0; i < sorted.size() - keep; i++) {
        String old = sorted.get(i);
        deleted = deleted.compose(v -> fs.delete(old));
      }
      return deleted.map(path);
    })).onSuccess(path -> LOG.info("backup written to {}", path));
  }
}
