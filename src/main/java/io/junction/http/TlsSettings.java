package io.junction.http;

import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * TLS for a listener from {@code http.<listener>.tls.certificates}: PEM certificate and key files. With more
 * than one pair the server uses SNI to present the certificate whose names match the requested host, and
 * ALPN offers HTTP/2 and HTTP/1.1.
 */
final class TlsSettings {
  private TlsSettings() {
  }

  /** Applies the listener's TLS settings, if any; throws IllegalArgumentException naming the bad key. */
  static void apply(String listener, JsonObject config, HttpServerOptions options) {
    JsonObject tls = config.getJsonObject("tls");
    if (tls == null) {
      return;
    }
    String base = "http." + listener + ".tls.certificates";
    Object value = tls.getValue("certificates");
    if (!(value instanceof JsonArray certificates) || certificates.isEmpty()) {
      throw new IllegalArgumentException(base + ": expected a non-empty list of {cert, key} PEM file paths");
    }
    PemKeyCertOptions pem = new PemKeyCertOptions();
    for (int i = 0; i < certificates.size(); i++) {
      String at = base + "[" + i + "]";
      if (!(certificates.getValue(i) instanceof JsonObject pair)) {
        throw new IllegalArgumentException(at + ": expected {cert: <file>, key: <file>}");
      }
      pem.addCertPath(readable(pair, "cert", at)).addKeyPath(readable(pair, "key", at));
    }
    options.setSsl(true).setKeyCertOptions(pem).setSni(certificates.size() > 1).setUseAlpn(true);
  }

  private static String readable(JsonObject pair, String field, String at) {
    Object path = pair.getValue(field);
    if (!(path instanceof String p) || p.isBlank()) {
      throw new IllegalArgumentException(at + "." + field + ": expected a PEM file path");
    }
    if (!Files.isReadable(Path.of(p))) {
      throw new IllegalArgumentException(at + "." + field + ": file " + p + " does not exist or cannot be read");
    }
    return p;
  }
}
