package io.junction.audit;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Cursor;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Recomputes the chain over seq {@code from..to}: first the archive files the {@code audit_archives} table lists
 * (each file's SHA-256 must be the one recorded when it was written, then every line is walked), then the hot
 * table through a cursor. The archive table is append-only, so it, not the manifest next to a file, is trusted.
 */
final class ChainVerifier {
  private record Manifest(long firstSeq, long lastSeq, String lastHash, LocalDate day, String file, String sha256) {
  }

  private final Vertx vertx;
  private final Pool pool;
  private final AuditSettings settings;

  ChainVerifier(Vertx vertx, Pool pool, AuditSettings settings) {
    this.vertx = vertx;
    this.pool = pool;
    this.settings = settings;
  }

  /** @return {ok, checked, firstBadSeq, reason, fromSeq, toSeq, archives} */
  Future<JsonObject> verify(long from, long to, boolean includeArchives) {
    ChainWalk walk = new ChainWalk(from, to);
    int[] archives = {0};
    return manifests().compose(list -> {
      Future<Void> done = Future.succeededFuture();
      if (includeArchives) {
        for (Manifest m : list) {
          done = done.compose(v -> walk.done() || m.firstSeq() > to ? Future.succeededFuture()
            : vertx.executeBlocking(() -> {
              if (archive(walk, m)) {
                archives[0]++;
              }
              return null;
            }));
        }
      } else if (!list.isEmpty()) {
        Manifest last = list.get(list.size() - 1);
        walk.anchor(last.lastSeq(), last.lastHash());
      }
      return done;
    }).compose(v -> walk.done() ? Future.succeededFuture() : table(walk, Math.max(from - 1, 0), to))
      .map(v -> new JsonObject().put("ok", !walk.done()).put("checked", walk.checked())
        .put("firstBadSeq", walk.badSeq()).put("reason", walk.reason())
        .put("fromSeq", walk.firstChecked() < 0 ? null : walk.firstChecked())
        .put("toSeq", walk.lastChecked() < 0 ? null : walk.lastChecked())
        .put("archives", archives[0]));
  }

  private Future<List<Manifest>> manifests() {
    return pool.query("SELECT first_seq, last_seq, last_hash, day, file, sha256 FROM audit_archives ORDER BY first_seq").execute()
      .map(rows -> {
        List<Manifest> list = new ArrayList<>();
        for (Row r : rows) {
          list.add(new Manifest(r.getLong(0), r.getLong(1), r.getString(2), r.getLocalDate(3), r.getString(4), r.getString(5)));
        }
        return list;
      });
  }

  /** Walks one archive file (blocking); true when its content was read. */
  private boolean archive(ChainWalk walk, Manifest m) {
    if (m.lastSeq() < walk.from()) {
      walk.anchor(m.lastSeq(), m.lastHash()); // wholly before the range: its recorded last hash anchors the rest
      return false;
    }
    Path file = settings.archiveDir().resolve(m.file());
    if (!Files.isRegularFile(file)) {
      LocalDate today = LocalDate.now(ZoneOffset.UTC);
      boolean expired = !settings.archiveRetention().isZero()
        && m.day().isBefore(today.minusDays(settings.archiveRetention().toDays()));
      if (expired) {
        walk.anchor(m.lastSeq(), m.lastHash()); // removed by retention: the chain is checked from the next file on
        return false;
      }
      walk.fail(m.firstSeq(), "archive file " + m.file() + " is missing from " + settings.archiveDir());
      return false;
    }
    if (!ArchiveFiles.sha256(file).equals(m.sha256())) {
      walk.fail(m.firstSeq(), "archive file " + m.file() + " was changed: its SHA-256 is not the one recorded when it was written");
      return false;
    }
    try {
      ArchiveFiles.read(file, walk::accept);
    } catch (IllegalArgumentException e) {
      walk.fail(walk.expectedSeq(), e.getMessage());
      return true;
    }
    // A file missing its last rows shows up as a gap before the next file's (or the table's) first seq.
    return true;
  }

  private Future<Void> table(ChainWalk walk, long from, long to) {
    return pool.withTransaction(conn -> conn.prepare("SELECT " + AuditEntry.COLUMNS + " FROM audit_log WHERE seq >= $1 AND seq <= $2 ORDER BY seq")
      .compose(ps -> {
        Cursor cursor = ps.cursor(Tuple.of(from, to));
        return read(cursor, walk).eventually(cursor::close);
      }));
  }

  private Future<Void> read(Cursor cursor, ChainWalk walk) {
    return cursor.read(2000).compose(rows -> {
      for (Row row : rows) {
        if (!walk.accept(AuditEntry.fromRow(row))) {
          return Future.succeededFuture();
        }
      }
      return cursor.hasMore() ? read(cursor, walk) : Future.succeededFuture();
    });
  }
}
