package io.junction.gateway;

import io.junction.testkit.JunctionTestKit;
import io.junction.testkit.TestCertificates;
import io.junction.testkit.TestUpstream;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** TLS on the public listener with one certificate per host name (SNI), HTTP/2 by ALPN and by h2c. */
class TlsAndHttp2Test {
  @TempDir
  Path dir;

  @Test
  void sniPicksTheCertificateAndHttp2IsNegotiated() throws Exception {
    TestCertificates.Pair a = TestCertificates.create(dir, "a.junction.test");
    TestCertificates.Pair b = TestCertificates.create(dir, "b.junction.test");
    try (TestUpstream upstream = new TestUpstream("tls");
         JunctionTestKit kit = JunctionTestKit.builder().yaml("""
           http:
             public:
               tls:
                 certificates:
                   - { cert: "%s", key: "%s" }
                   - { cert: "%s", key: "%s" }
           gateway:
             routes:
               - id: echo
                 uri: %s
                 predicates: [ "Path=/echo/**" ]
           """.formatted(a.cert(), a.key(), b.cert(), b.key(), upstream.url())).start()) {
      SSLContext trust = TestCertificates.trusting(a, b);
      // A fresh context per handshake: a resumed TLS session would skip the certificate choice.
      assertThat(handshake(TestCertificates.trusting(a, b), kit.publicPort(), "a.junction.test")).isEqualTo(List.of("CN=a.junction.test", "h2"));
      assertThat(handshake(TestCertificates.trusting(a, b), kit.publicPort(), "b.junction.test")).isEqualTo(List.of("CN=b.junction.test", "h2"));

      HttpClient h2 = HttpClient.newBuilder().sslContext(trust).version(HttpClient.Version.HTTP_2).build();
      HttpResponse<String> r = h2.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + kit.publicPort() + "/echo/x"))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_2);
      assertThat(r.statusCode()).isEqualTo(200);
      JsonObject echo = new JsonObject(r.body());
      assertThat(echo.getString("path")).isEqualTo("/echo/x");
      assertThat(echo.getJsonObject("headers").getString("x-forwarded-proto")).isEqualTo("https");
      assertThat(echo.getJsonObject("headers").getString("x-forwarded-host")).isEqualTo("127.0.0.1:" + kit.publicPort());

      Throwable untrusted = catchThrowable(() -> HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + kit.publicPort() + "/echo/x")).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString()));
      assertThat(untrusted).isInstanceOf(javax.net.ssl.SSLHandshakeException.class);
    }
  }

  @Test
  void http2CleartextUpgradeIsServed() throws Exception {
    try (TestUpstream upstream = new TestUpstream("h2c");
         JunctionTestKit kit = JunctionTestKit.builder().yaml("""
           gateway:
             routes:
               - id: echo
                 uri: %s
                 predicates: [ "Path=/echo/**" ]
           """.formatted(upstream.url())).start()) {
      HttpClient h2c = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
      h2c.send(HttpRequest.newBuilder(kit.publicUri("/echo/warm")).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
      HttpResponse<String> r = h2c.send(HttpRequest.newBuilder(kit.publicUri("/echo/h2c"))
        .POST(HttpRequest.BodyPublishers.ofString("body over h2")).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_2);
      assertThat(new JsonObject(r.body()).getString("body")).isEqualTo("body over h2");
    }
  }

  @Test
  void httpsUpstreamsAreTrustedOnlyWithTheirCertificate() throws Exception {
    TestCertificates.Pair upstreamCert = TestCertificates.create(dir, "upstream.junction.test");
    io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
    try {
      io.vertx.core.http.HttpServer secure = vertx.createHttpServer(new io.vertx.core.http.HttpServerOptions().setSsl(true)
          .setKeyCertOptions(new io.vertx.core.net.PemKeyCertOptions().setCertPath(upstreamCert.cert().toString()).setKeyPath(upstreamCert.key().toString())))
        .requestHandler(req -> req.response().end("secure " + req.path()));
      secure.listen(0, "127.0.0.1").await(10, java.util.concurrent.TimeUnit.SECONDS);
      String routes = "gateway:\n  %s\n  routes:\n    - id: secure\n      uri: https://127.0.0.1:%d\n      predicates: [ \"Path=/secure/**\" ]\n";
      try (JunctionTestKit trusting = JunctionTestKit.builder().yaml(routes.formatted(
        "httpclient: { ssl: { trusted-x509-certificates: [ \"" + upstreamCert.cert() + "\" ] } }", secure.actualPort())).start()) {
        HttpResponse<String> r = trusting.get("/secure/x");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("secure /secure/x");
      }
      try (JunctionTestKit untrusting = JunctionTestKit.builder().yaml(routes.formatted("default-filters: []", secure.actualPort())).start()) {
        HttpResponse<String> r = untrusting.get("/secure/x");
        assertThat(r.statusCode()).as("an unknown certificate is a failed upstream, not a silent downgrade").isEqualTo(502);
      }
    } finally {
      vertx.close().await(10, java.util.concurrent.TimeUnit.SECONDS);
    }
  }

  @Test
  void aMissingCertificateFileStopsTheHttpModuleNamingTheKey() {
    Throwable failure = catchThrowable(() -> JunctionTestKit.builder().yaml("""
      http:
        public:
          tls:
            certificates: [ { cert: /nonexistent/c.pem, key: /nonexistent/k.pem } ]
      """).start());
    assertThat(failure).hasMessageContaining("module http: http.public.tls.certificates[0].cert: file /nonexistent/c.pem does not exist");
  }

  /** Subject of the certificate the server presented for this SNI name, and the ALPN protocol chosen. */
  private static List<String> handshake(SSLContext trust, int port, String sni) throws Exception {
    try (SSLSocket socket = (SSLSocket) trust.getSocketFactory().createSocket("127.0.0.1", port)) {
      SSLParameters params = socket.getSSLParameters();
      params.setServerNames(List.of(new SNIHostName(sni)));
      params.setApplicationProtocols(new String[] {"h2", "http/1.1"});
      params.setEndpointIdentificationAlgorithm(null);
      socket.setSSLParameters(params);
      socket.startHandshake();
      X509Certificate cert = (X509Certificate) socket.getSession().getPeerCertificates()[0];
      return List.of(cert.getSubjectX500Principal().getName(), socket.getApplicationProtocol());
    }
  }
}
