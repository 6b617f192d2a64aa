package io.junction.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** Self-signed PEM certificates made with the machine's openssl, and an SSLContext that trusts them. */
public final class TestCertificates {
  public record Pair(Path cert, Path key) {
  }

  private TestCertificates() {
  }

  /** A certificate for the DNS name (and 127.0.0.1), valid for two days. */
  public static Pair create(Path dir, String dnsName) throws IOException, InterruptedException {
    Path cert = dir.resolve(dnsName + ".crt");
    Path key = dir.resolve(dnsName + ".key");
    Process p = new ProcessBuilder(List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
      "-keyout", key.toString(), "-out", cert.toString(), "-days", "2", "-subj", "/CN=" + dnsName,
      "-addext", "subjectAltName=DNS:" + dnsName + ",IP:127.0.0.1")).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0) {
      throw new IOException("openssl failed: " + out);
    }
    return new Pair(cert, key);
  }

  public static SSLContext trusting(Pair... pairs) throws Exception {
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    CertificateFactory factory = CertificateFactory.getInstance("X.509");
    for (int i = 0; i < pairs.length; i++) {
      try (InputStream in = Files.newInputStream(pairs[i].cert())) {
        store.setCertificateEntry("c" + i, (X509Certificate) factory.generateCertificate(in));
      }
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(store);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, tmf.getTrustManagers(), null);
    return context;
  }
}
