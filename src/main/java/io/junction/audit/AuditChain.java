package io.junction.audit;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.TreeSet;

/**
 * The hash chain: each row's hash is SHA-256 over its canonical content and the previous row's hash, so any
 * edit or removal of a row breaks every hash after it. Canonical = fixed field order, JSON with sorted keys.
 */
public final class AuditChain {
  public static final String GENESIS = "0".repeat(64);

  private AuditChain() {
  }

  public static String hash(long seq, AuditRecord r, String prevHash) {
    StringBuilder sb = new StringBuilder(256);
    sb.append(seq).append('\n').append(r.id()).append('\n').append(r.at()).append('\n')
      .append(r.actor()).append('\n').append(r.action()).append('\n').append(nz(r.target())).append('\n')
      .append(r.outcome()).append('\n');
    canonical(r.metadata(), sb);
    sb.append('\n').append(nz(r.requestId())).append('\n').append(nz(r.traceId())).append('\n')
      .append(nz(r.ip())).append('\n').append(nz(r.userAgent())).append('\n').append(prevHash);
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(sha.digest(sb.toString().getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }

  /**
   * Numbers in plain decimal without trailing zeros: jsonb may give back 1.0E20 as 100000000000000000000 (and
   * the JSON decoder then another Java type), so the hash must not depend on how a number was spelled.
   */
  static String number(Number n) {
    try {
      return new BigDecimal(n.toString()).stripTrailingZeros().toPlainString();
    } catch (NumberFormatException e) {
      return Json.encode(n); // NaN or Infinity: Postgres refuses them anyway
    }
  }

  /** JSON with object keys sorted, so the same content always hashes the same after a jsonb round trip. */
  static void canonical(Object value, StringBuilder sb) {
    if (value instanceof JsonObject o) {
      sb.append('{');
      boolean first = true;
      for (String key : new TreeSet<>(o.fieldNames())) {
        if (!first) {
          sb.append(',');
        }
        first = false;
        sb.append(Json.encode(key)).append(':');
        canonical(o.getValue(key), sb);
      }
      sb.append('}');
    } else if (value instanceof JsonArray a) {
      sb.append('[');
      for (int i = 0; i < a.size(); i++) {
        if (i > 0) {
          sb.append(',');
        }
        canonical(a.getValue(i), sb);
      }
      sb.append(']');
    } else if (value instanceof Number n) {
      sb.append(number(n));
    } else {
      sb.append(Json.encode(value));
    }
  }
}
