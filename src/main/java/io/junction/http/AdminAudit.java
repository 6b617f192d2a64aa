package io.junction.http;

import io.vertx.core.json.JsonObject;

/**
 * What the admin listener asks the audit module: may a mutating request proceed (false while the audit buffer
 * is full and audit.failClosed is on: the request is refused with 503 rather than run unaudited), and record
 * one finished request. The audit module provides it; both calls return at once.
 */
public interface AdminAudit {
  /** Set by the contract router on each admin request: the operationId it matched. */
  String OPERATION_KEY = "junction.operationId";

  /** Audits nothing and refuses nothing (tests of the HTTP module alone). */
  AdminAudit NONE = new AdminAudit() {
    @Override
    public boolean accepting() {
      return true;
    }

    @Override
    public void record(JsonObject record) {
    }
  };

  boolean accepting();

  /** {@code {actor, action, target, outcome, metadata, requestId, traceId, ip, userAgent}}; stored asynchronously. */
  void record(JsonObject record);
}
