package io.junction.http;

import io.junction.testkit.JunctionTestKit;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** Bytes a real HTTP client would never send: answered with a JSON error and a closed connection, not a hang. */
class InvalidRequestTest {
  static JunctionTestKit kit;

  @BeforeAll
  static void start() {
    kit = JunctionTestKit.builder().start();
  }

  @AfterAll
  static void stop() {
    kit.close();
  }

  @Test
  void malformedRequestLineIs400Json() throws IOException {
    String response = raw(kit.publicPort(), "GARBAGE\r\n\r\n");
    // Netty answers an unparseable request line as HTTP/1.0: there is no version to mirror.
    assertThat(response).matches("(?s)^HTTP/1\\.[01] 400 .*");
    assertThat(json(response).getString("error")).isEqualTo("invalid_request");
  }

  @Test
  void headersLargerThanTheLimitAre431Json() throws IOException {
    String response = raw(kit.publicPort(), "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(70_000) + "\r\n\r\n");
    assertThat(response).startsWith("HTTP/1.1 431");
    assertThat(json(response).getString("error")).isEqualTo("header_too_large");
  }

  @Test
  void adminListenerRefusesTheSameWay() throws IOException {
    assertThat(raw(kit.adminPort(), "NOT HTTP AT ALL\r\n\r\n")).matches("(?s)^HTTP/1\\.[01] 400 .*");
  }

  /** Sends bytes and reads until the server closes the connection (a 5 s read timeout fails the test). */
  private static String raw(int port, String request) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(5000);
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream buffer = new ByteArrayOutputStream();
      in.transferTo(buffer);
      return buffer.toString(StandardCharsets.ISO_8859_1);
    }
  }

  private static JsonObject json(String response) {
    return new JsonObject(response.substring(response.indexOf("\r\n\r\n") + 4));
  }
}
