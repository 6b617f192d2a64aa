package io.junction.audit;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Moves entries older than audit.archiveAfter out of the hot table: the oldest rows, one file per UTC day, in seq
 * order. Each file is written, read back and its chain checked, its manifest written, and only then are its rows
 * removed, through audit_archive_remove (the one path the database lets delete, and only the oldest rows, only
 * when they still are what the file holds). One node archives at a time (a session advisory lock).
 */
final class Archiver {
  private static final Logger LOG = LoggerFactory.getLogger(Archiver.class);
  private static final long ARCHIVE_LOCK = AuditWriter.CHAIN_LOCK + 1;
  private static final int CHUNK = 5000;

  private record FileRun(LocalDate day, long first, long last) {
  }

  private final Vertx vertx;
  private final Pool pool;
  private final AuditSettings settings;
  private final AuditMeters meters;
  private boolean running;

  Archiver(Vertx vertx, Pool pool, AuditSettings settings, AuditMeters meters) {
    this.vertx = vertx;
    this.pool = pool;
    this.settings = settings;
    this.meters = meters;
  }

  /** Archives what is due, then applies retention; completes with {files, rows, filesRemoved} or {skipped}. */
  Future<JsonObject> run() {
    if (running) {
      return Future.succeededFuture(new JsonObject().put("skipped", "an archive run is in progress on this node"));
    }
    running = true;
    JsonObject totals = new JsonObject().put("files", 0).put("rows", 0L);
    return pool.getConnection().compose(conn -> conn.query("SELECT pg_try_advisory_lock(" + ARCHIVE_LOCK + ")").execute()
        .compose(rows -> {
          if (!rows.iterator().next().getBoolean(0)) {
            return Future.succeededFuture(new JsonObject().put("skipped", "another node is archiving"));
          }
          return archiveDue(conn, totals)
            .eventually(() -> conn.query("SELECT pg_advisory_unlock(" + ARCHIVE_LOCK + ")").execute());
        })
        .eventually(conn::close))
      .compose(result -> result.containsKey("skipped") ? Future.succeededFuture(result)
        : vertx.executeBlocking(this::applyRetention).map(removed -> result.put("filesRemoved", removed)))
      .onComplete(ar -> {
        running = false;
        if (ar.failed()) {
          LOG.error("audit: archiving stopped: {}", ar.cause().getMessage());
        } else if (ar.result().getLong("rows", 0L) > 0) {
          LOG.info("audit: archived {} row(s) into {} file(s) in {}", ar.result().getLong("rows"), ar.result().getInteger("files"),
            settings.archiveDir());
        }
      });
  }

  private Future<JsonObject> archiveDue(SqlConnection conn, JsonObject totals) {
    Instant cutoff = Instant.now().minus(settings.archiveAfter());
    // The archivable part is a prefix of the chain: everything before the first row that is not old enough.
    return conn.preparedQuery("SELECT (SELECT min(seq) FROM audit_log),"
        + " coalesce((SELECT min(seq) FROM audit_log WHERE at >= $1) - 1, (SELECT max(seq) FROM audit_log))")
      .execute(Tuple.of(cutoff.atOffset(ZoneOffset.UTC)))
      .compose(rows -> {
        Row r = rows.iterator().next();
        if (r.getLong(0) == null) {
          return Future.succeededFuture(totals);
        }
        return nextFile(conn, r.getLong(0), r.getLong(1), totals);
      });
  }

  private Future<JsonObject> nextFile(SqlConnection conn, long first, long end, JsonObject totals) {
    if (first > end) {
      return Future.succeededFuture(totals);
    }
    return conn.preparedQuery("SELECT (at AT TIME ZONE 'UTC')::date FROM audit_log WHERE seq = $1").execute(Tuple.of(first))
      .compose(rows -> {
        if (!rows.iterator().hasNext()) {
          return Future.failedFuture(new IllegalStateException("seq " + first + " is missing from audit_log; not archiving a broken chain"));
        }
        LocalDate day = rows.iterator().next().getLocalDate(0);
        return conn.preparedQuery("SELECT min(seq) FROM audit_log WHERE seq > $1 AND seq <= $2 AND (at AT TIME ZONE 'UTC')::date <> $3")
          .execute(Tuple.of(first, end, day))
          .map(next -> {
            Long otherDay = next.iterator().next().getLong(0);
            return new FileRun(day, first, otherDay == null ? end : otherDay - 1);
          });
      })
      .compose(run -> archiveFile(conn, run).compose(rows -> {
        totals.put("files", totals.getInteger("files") + 1).put("rows", totals.getLong("rows") + rows);
        return nextFile(conn, run.last() + 1, end, totals);
      }));
  }

  /** Writes one file, checks it, records it and removes its rows; completes with the number of rows moved. */
  private Future<Long> archiveFile(SqlConnection conn, FileRun run) {
    String name = ArchiveFiles.fileName(run.day(), run.first());
    return vertx.executeBlocking(() -> new ArchiveFiles.Writer(settings.archiveDir(), name)).compose(writer -> {
      List<AuditEntry> firstAndLast = new ArrayList<>(2);
      return copy(conn, writer, run, run.first(), firstAndLast)
        .compose(v -> vertx.executeBlocking(() -> {
          Path file = writer.finish();
          AuditEntry head = firstAndLast.get(0);
          AuditEntry tail = firstAndLast.get(firstAndLast.size() - 1);
          check(file, run, head.prevHash(), tail.hash());
          String sha = ArchiveFiles.sha256(file);
          ArchiveFiles.writeManifest(settings.archiveDir(), new JsonObject().put("file", name).put("day", run.day().toString())
            .put("firstSeq", run.first()).put("lastSeq", run.last()).put("firstPrevHash", head.prevHash())
            .put("lastHash", tail.hash()).put("count", run.last() - run.first() + 1).put("sha256", sha)
            .put("createdAt", Instant.now().toString()));
          return new JsonObject().put("prev", head.prevHash()).put("last", tail.hash()).put("sha", sha);
        }))
        .onFailure(err -> vertx.executeBlocking(() -> {
          writer.close();
          return null;
        }));
    }).compose(written -> conn.preparedQuery("SELECT audit_archive_remove($1, $2, $3, $4, $5, $6, $7)")
      .execute(Tuple.of(run.first(), run.last(), written.getString("prev"), written.getString("last"), run.day(), name,
        written.getString("sha")))
      .map(rows -> {
        long n = rows.iterator().next().getLong(0);
        meters.archived(n);
        return n;
      }));
  }

  /** Copies rows first..run.last() into the file in chunks, keeping the first and the last entry seen. */
  private Future<Void> copy(SqlConnection conn, ArchiveFiles.Writer writer, FileRun run, long from, List<AuditEntry> firstAndLast) {
    return conn.preparedQuery("SELECT " + AuditEntry.COLUMNS + " FROM audit_log WHERE seq >= $1 AND seq <= $2 ORDER BY seq LIMIT " + CHUNK)
      .execute(Tuple.of(from, run.last()))
      .compose((RowSet<Row> rows) -> {
        List<AuditEntry> entries = new ArrayList<>(rows.size());
        rows.forEach(row -> entries.add(AuditEntry.fromRow(row)));
        if (entries.isEmpty()) {
          return firstAndLast.isEmpty()
            ? Future.failedFuture(new IllegalStateException("no rows between seq " + from + " and " + run.last()))
            : Future.succeededFuture();
        }
        if (firstAndLast.isEmpty()) {
          firstAndLast.add(entries.get(0));
        }
        if (firstAndLast.size() == 2) {
          firstAndLast.remove(1);
        }
        firstAndLast.add(entries.get(entries.size() - 1));
        long next = entries.get(entries.size() - 1).seq() + 1;
        return vertx.executeBlocking(() -> {
          writer.append(entries);
          return null;
        }).compose(v -> next > run.last() ? Future.succeededFuture() : copy(conn, writer, run, next, firstAndLast));
      });
  }

  /** Reads the finished file back: every seq present, the chain unbroken from the first prev hash to the last hash. */
  private static void check(Path file, FileRun run, String firstPrev, String lastHash) {
    ChainWalk walk = new ChainWalk(run.first(), run.last());
    walk.anchor(run.first() - 1, firstPrev);
    ArchiveFiles.read(file, walk::accept);
    long expected = run.last() - run.first() + 1;
    if (walk.done() || walk.checked() != expected) {
      throw new IllegalStateException("archive " + file.getFileName() + " does not check out (" + (walk.done() ? walk.reason()
        : walk.checked() + " of " + expected + " rows") + "); rows kept in audit_log");
    }
    if (walk.expectedSeq() != run.last() + 1 || !lastHash.equals(lastHashOf(file))) {
      throw new IllegalStateException("archive " + file.getFileName() + " does not end with seq " + run.last());
    }
  }

  private static String lastHashOf(Path file) {
    String[] last = {null};
    ArchiveFiles.read(file, e -> {
      last[0] = e.hash();
      return true;
    });
    return last[0];
  }

  /** Deletes archive files (and manifests) of days older than audit.archiveRetention; 0 keeps them forever. */
  private int applyRetention() {
    if (settings.archiveRetention().isZero() || !Files.isDirectory(settings.archiveDir())) {
      return 0;
    }
    LocalDate oldest = LocalDate.now(ZoneOffset.UTC).minusDays(settings.archiveRetention().toDays());
    int removed = 0;
    try (Stream<Path> files = Files.list(settings.archiveDir())) {
      for (Path p : files.toList()) {
        String name = p.getFileName().toString();
        LocalDate day = ArchiveFiles.dayOf(name);
        if (day != null && day.isBefore(oldest) && (name.endsWith(ArchiveFiles.SUFFIX) || name.endsWith(ArchiveFiles.MANIFEST_SUFFIX))) {
          Files.deleteIfExists(p);
          removed += name.endsWith(ArchiveFiles.SUFFIX) ? 1 : 0;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("audit archive retention in " + settings.archiveDir(), e);
    }
    if (removed > 0) {
      LOG.info("audit: removed {} archive file(s) older than {} (audit.archiveRetention)", removed, oldest);
    }
    return removed;
  }
}
