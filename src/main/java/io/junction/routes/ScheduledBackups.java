package io.junction.routes;

import io.junction.config.Durations;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.file.FileSystem;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * {@code backup.schedule}: every interval, a backup file {@code junction-backup-<UTC time>.json} in
 * {@code backup.dir}, then all but the newest {@code backup.keep} such files are deleted. Each node writes to
 * its own directory; a failed run is logged and the next one tries again.
 */
final class ScheduledBackups {
  private static final Logger LOG = LoggerFactory.getLogger(ScheduledBackups.class);
  static final String PREFIX = "junction-backup-";
  private static final DateTimeFormatter NAME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);

  private final Vertx vertx;
  private final Backups backups;
  private final String dir;
  private final int keep;
  private final long intervalMs;
  private long timer = -1;

  ScheduledBackups(Vertx vertx, Backups backups, JsonObject settings) {
    this.vertx = vertx;
    this.backups = backups;
    JsonObject s = settings == null ? new JsonObject() : settings;
    String schedule = s.getString("schedule", "");
    this.intervalMs = schedule.isBlank() ? 0 : Durations.parse(schedule).toMillis();
    this.dir = s.getString("dir", "data/backups");
    this.keep = s.getInteger("keep", 7);
  }

  void start() {
    if (intervalMs > 0) {
      timer = vertx.setPeriodic(intervalMs, id -> run().onFailure(err -> LOG.error("scheduled backup failed: {}", err.getMessage())));
      LOG.info("backups every {} ms to {} (keeping {})", intervalMs, dir, keep);
    }
  }

  void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  /** Writes one backup now and prunes old ones; completes with the file's path. */
  Future<String> run() {
    FileSystem fs = vertx.fileSystem();
    return backups.take().compose(backup -> fs.mkdirs(dir).compose(v -> {
      String path = dir + "/" + PREFIX + NAME.format(Instant.now()) + ".json";
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
