package io.junction.audit;

import io.junction.http.ApiError;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams matching entries as JSON lines or CSV in chain order (oldest first, so a file can be re-verified line
 * by line), from a Postgres cursor into a chunked response: rows are fetched as the client reads, so an export of
 * millions of rows holds only one fetch in memory. Pauses the cursor while the socket's write queue is full.
 */
final class AuditExport {
  private static final Logger LOG = LoggerFactory.getLogger(AuditExport.class);
  private static final String[] CSV_COLUMNS = {"seq", "id", "at", "actor", "action", "target", "outcome", "metadata",
    "requestId", "traceId", "ip", "userAgent", "prevHash", "hash"};
  private static final int FETCH = 500;

  private final Pool pool;

  AuditExport(Pool pool) {
    this.pool = pool;
  }

  void handle(RoutingContext ctx) {
    MultiMap q = ctx.queryParams();
    boolean csv = "csv".equals(q.get("format"));
    String limit = q.get("limit") == null ? "" : " LIMIT " + AuditApi.intParam(q, "limit", 0, 1, 10_000_000);
    AuditQuery query = AuditQuery.from(q);
    String sql = "SELECT " + AuditEntry.COLUMNS + " FROM audit_log" + query.where() + " ORDER BY seq" + limit;
    HttpServerResponse response = ctx.response();
    pool.getConnection().onFailure(err -> unavailable(response, err)).onSuccess(conn -> conn.begin()
      .compose(tx -> conn.prepare(sql))
      .onFailure(err -> {
        conn.close();
        unavailable(response, err);
      })
      .onSuccess(ps -> {
        RowStream<Row> stream = ps.createStream(FETCH, query.params());
        boolean[] started = {false};
        response.closeHandler(v -> {
          stream.close();
          conn.close();
        });
        stream.exceptionHandler(err -> {
          LOG.error("audit: export failed: {}", err.toString());
          if (!response.headWritten()) {
            unavailable(response, err);
          } else {
            response.reset(); // the client sees a broken transfer, never a truncated file that looks complete
          }
          conn.close();
        });
        stream.endHandler(v -> {
          start(response, csv, started);
          response.end();
          conn.close();
        });
        stream.handler(row -> {
          start(response, csv, started);
          JsonObject entry = AuditEntry.fromRow(row).toJson();
          response.write(csv ? csvLine(entry) : Buffer.buffer(entry.encode()).appendByte((byte) '\n'));
          if (response.writeQueueFull()) {
            stream.pause();
            response.drainHandler(d -> stream.resume());
          }
        });
      }));
  }

  private static void start(HttpServerResponse response, boolean csv, boolean[] started) {
    if (started[0]) {
      return;
    }
    started[0] = true;
    response.setChunked(true).setStatusCode(200).putHeader("Cache-Control", "no-store")
      .putHeader("Content-Type", csv ? "text/csv; charset=utf-8" : "application/x-ndjson")
      .putHeader("Content-Disposition", "attachment; filename=\"audit." + (csv ? "csv" : "jsonl") + "\"");
    if (csv) {
      response.write(String.join(",", CSV_COLUMNS) + "\r\n");
    }
  }

  /** RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled. */
  static Buffer csvLine(JsonObject entry) {
    StringBuilder sb = new StringBuilder(512);
    for (int i = 0; i < CSV_COLUMNS.length; i++) {
      if (i > 0) {
        sb.append(',');
      }
      Object v = entry.getValue(CSV_COLUMNS[i]);
      String text = v == null ? "" : v instanceof JsonObject o ? o.encode() : String.valueOf(v);
      if (text.indexOf(',') >= 0 || text.indexOf('"') >= 0 || text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0) {
        sb.append('"').append(text.replace("\"", "\"\"")).append('"');
      } else {
        sb.append(text);
      }
    }
    return Buffer.buffer(sb.append("\r\n").toString());
  }

  private static void unavailable(HttpServerResponse response, Throwable err) {
    LOG.error("audit: export could not start: {}", err.toString());
    ApiError.send(response, 503, "unavailable", "the audit log cannot be read right now, try again", null);
  }
}
