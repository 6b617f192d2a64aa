package io.junction.gateway.proxy;

import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.net.ClientOptionsBase;
import io.vertx.core.net.PemTrustOptions;

import java.util.List;

/**
 * Trust for https:// upstreams ({@code gateway.httpclient.ssl}): extra PEM CA/server certificates on top of
 * the JVM's trust store, or — for tests and emergencies only — trusting anything. Read when each HTTP verticle
 * builds its clients, so a change takes effect on restart.
 */
public record UpstreamTls(List<String> trustedCertificates, boolean insecure) {
  public static final UpstreamTls DEFAULT = new UpstreamTls(List.of(), false);

  public HttpClientOptions apply(HttpClientOptions options) {
    configure(options);
    return options.setVerifyHost(!insecure);
  }

  public WebSocketClientOptions apply(WebSocketClientOptions options) {
    configure(options);
    return options.setVerifyHost(!insecure);
  }

  private void configure(ClientOptionsBase options) {
    if (insecure) {
      options.setTrustAll(true);
    } else if (!trustedCertificates.isEmpty()) {
      PemTrustOptions trust = new PemTrustOptions();
      trustedCertificates.forEach(trust::addCertPath);
      options.setTrustOptions(trust);
    }
  }
}
