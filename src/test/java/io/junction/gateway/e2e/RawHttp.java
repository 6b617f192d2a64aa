package io.junction.gateway.e2e;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, for what java.net.http refuses to send: a Host header of our choosing, or a
 * connection from another loopback address (127.0.0.2). One request per connection ({@code Connection: close}).
 */
final class RawHttp {
  private RawHttp() {
  }

  record Response(int status, List<Map.Entry<String, String>> headers, String body) {
    String header(String name) {
      List<String> all = headers(name);
      return all.isEmpty() ? null : all.get(0);
    }

    List<String> headers(String name) {
      List<String> out = new ArrayList<>();
      for (Map.Entry<String, String> e : headers) {
        if (e.getKey().equalsIgnoreCase(name)) {
          out.add(e.getValue());
        }
      }
      return out;
    }
  }

  /** GET {@code path} with the given extra header lines ("Name: value"); a Host line replaces the default. */
  static Response get(int port, String path, String... headerLines) throws IOException {
    return send(null, port, "GET", path, headerLines);
  }

  static Response send(String localAddress, int port, String method, String path, String... headerLines) throws IOException {
    StringBuilder request = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\n");
    boolean host = false;
    for (String line : headerLines) {
      host |= line.regionMatches(true, 0, "Host:", 0, 5);
      request.append(line).append("\r\n");
    }
    if (!host) {
      request.append("Host: 127.0.0.1:").append(port).append("\r\n");
    }
    request.append("Connection: close\r\n\r\n");
    return exchange(localAddress, port, request.toString());
  }

  /** Sends {@code request} verbatim (from {@code localAddress} when not null) and reads one response. */
  static Response exchange(String localAddress, int port, String request) throws IOException {
    try (Socket socket = new Socket()) {
      if (localAddress != null) {
        socket.bind(new InetSocketAddress(localAddress, 0));
      }
      socket.setSoTimeout(15_000);
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      return read(new BufferedInputStream(socket.getInputStream()));
    }
  }

  /**
   * Sends the head of a POST with {@code Expect: 100-continue} and a declared body, and returns the status of
   * the first response that arrives within {@code waitMs} (100 for an invitation to send the body), or -1 when
   * none does. When invited, the body is sent and the final status is returned as {@code 100 -> final}
   * (encoded as 100_000 + final).
   */
  static int expectContinue(int port, String path, int bodyLength, int waitMs) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
      socket.setSoTimeout(waitMs);
      socket.getOutputStream().write(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nContent-Length: " + bodyLength
        + "\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
      BufferedInputStream in = new BufferedInputStream(socket.getInputStream());
      Response first;
      try {
        first = read(in);
      } catch (java.net.SocketTimeoutException e) {
        return -1;
      }
      if (first.status() != 100) {
        return first.status();
      }
      socket.setSoTimeout(15_000);
      socket.getOutputStream().write(new byte[bodyLength]);
      return 100_000 + read(in).status();
    }
  }

  private static Response read(InputStream in) throws IOException {
    String statusLine = line(in);
    if (statusLine == null || !statusLine.startsWith("HTTP/1.1 ")) {
      throw new IOException("not an HTTP response: " + statusLine);
    }
    int status = Integer.parseInt(statusLine.substring(9, 12));
    List<Map.Entry<String, String>> headers = new ArrayList<>();
    for (String l = line(in); l != null && !l.isEmpty(); l = line(in)) {
      int colon = l.indexOf(':');
      headers.add(new AbstractMap.SimpleImmutableEntry<>(l.substring(0, colon).trim(), l.substring(colon + 1).trim()));
    }
    Response head = new Response(status, headers, "");
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    String te = head.header("Transfer-Encoding");
    String cl = head.header("Content-Length");
    if (te != null && te.equalsIgnoreCase("chunked")) {
      while (true) {
        String size = line(in);
        int n = Integer.parseInt(size.split(";")[0].trim(), 16);
        if (n == 0) {
          while (true) {
            String trailer = line(in);
            if (trailer == null || trailer.isEmpty()) {
              break;
            }
          }
          break;
        }
        body.write(in.readNBytes(n));
        line(in);
      }
    } else if (cl != null) {
      body.write(in.readNBytes(Integer.parseInt(cl.trim())));
    } else if (status >= 200 && status != 204 && status != 304) {
      in.transferTo(body);
    }
    return new Response(status, headers, body.toString(StandardCharsets.UTF_8));
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) != -1) {
      if (c == '\n') {
        break;
      }
      if (c != '\r') {
        out.write(c);
      }
    }
    if (c == -1 && out.size() == 0) {
      return null;
    }
    return out.toString(StandardCharsets.ISO_8859_1);
  }
}
