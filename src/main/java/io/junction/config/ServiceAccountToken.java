package io.junction.config;

import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.nio.file.Path;

/**
 * The pod's service-account token. The vertx-config ConfigMap store reads the token file once and keeps it
 * for ever, but projected tokens rotate (about hourly): the config module reads the file itself, hands the
 * token to the store and the watch, and reads it again whenever the API server answers 401. The gateway's
 * EndpointSlice watches (Kubernetes discovery of {@code lb://} services) use it the same way.
 */
public final class ServiceAccountToken {
  private final Vertx vertx;
  private final Path file;
  private volatile String token = "";

  public ServiceAccountToken(Vertx vertx, Path file) {
    this.vertx = vertx;
    this.file = file;
  }

  public String current() {
    return token;
  }

  /** Reads the file again; the future tells whether the token changed. A missing file is an empty token. */
  public Future<Boolean> reload() {
    return vertx.fileSystem().readFile(file.toString())
      .map(buffer -> buffer.toString().trim())
      .recover(err -> Future.succeededFuture(""))
      .map(next -> {
        boolean changed = !next.equals(token);
        token = next;
        return changed;
      });
  }
}
