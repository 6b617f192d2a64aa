import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed-rate HTTP/1.1 load generator (wrk2-style), one file, JDK only:
 * {@code java bench/FixedRate.java --url http://127.0.0.1:8080/x --rate 2000 --duration 15 --connections 16}.
 *
 * <p>Request {@code i} is scheduled at {@code start + i / rate} and goes out on keep-alive connection
 * {@code i % connections}; each connection has its own thread doing blocking I/O. Latency is measured from the
 * <em>scheduled</em> send time to the last byte of the response, so a server stall that delays later requests is
 * charged to them too (no coordinated omission). The "service time" (from the actual send) is reported beside it.
 * The first {@code --warmup} seconds run at the same rate but are not counted (this JVM warms up too).
 */
public final class FixedRate {

  public static void main(String[] args) throws Exception {
    String url = null;
    String label = "target";
    double rate = 2000;
    double duration = 15;
    double warmup = 5;
    int connections = 16;
    int timeoutMs = 5000;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("-h") || a.equals("--help")) {
        System.out.println("usage: java FixedRate.java --url http://127.0.0.1:PORT/path [--rate 2000] [--duration 15]"
          + " [--warmup 5] [--connections 16] [--timeout-ms 5000] [--label name]");
        return;
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("missing value after " + a);
      }
      String v = args[++i];
      switch (a) {
        case "--url" -> url = v;
        case "--label" -> label = v;
        case "--rate" -> rate = Double.parseDouble(v);
        case "--duration" -> duration = Double.parseDouble(v);
        case "--warmup" -> warmup = Double.parseDouble(v);
        case "--connections" -> connections = Integer.parseInt(v);
        case "--timeout-ms" -> timeoutMs = Integer.parseInt(v);
        default -> throw new IllegalArgumentException("unknown option " + a);
      }
    }
    if (url == null || rate <= 0 || duration <= 0 || connections < 1) {
      throw new IllegalArgumentException("need --url, a positive --rate and --duration, --connections >= 1");
    }
    URI uri = URI.create(url);
    if (!"http".equals(uri.getScheme())) {
      throw new IllegalArgumentException("only http:// URLs: " + url);
    }
    int port = uri.getPort() < 0 ? 80 : uri.getPort();
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    if (uri.getRawQuery() != null) {
      path += "?" + uri.getRawQuery();
    }
    byte[] request = ("GET " + path + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + port
      + "\r\nUser-Agent: junction-bench-fixedrate\r\nAccept: */*\r\n\r\n").getBytes(StandardCharsets.US_ASCII);

    double interval = 1e9 / rate;
    long start = System.nanoTime() + 200_000_000L; // let every thread get ready first
    long countFrom = start + (long) (warmup * 1e9);
    long end = countFrom + (long) (duration * 1e9);
    long hardStop = end + 10_000_000_000L;         // a connection that has fallen far behind gives up here
    int perConnection = (int) Math.ceil((end - countFrom) / interval / connections) + 16;

    List<Worker> workers = new ArrayList<>();
    for (int c = 0; c < connections; c++) {
      Worker w = new Worker(c, connections, new InetSocketAddress(uri.getHost(), port), request, timeoutMs,
        start, countFrom, end, hardStop, interval, perConnection);
      workers.add(w);
    }
    for (Worker w : workers) {
      w.thread.start();
    }
    for (Worker w : workers) {
      w.thread.join();
    }

    long sent = 0, ok = 0, non2xx = 0, errors = 0, unsent = 0;
    int n = 0;
    for (Worker w : workers) {
      n += w.recorded;
    }
    long[] lat = new long[n];
    long[] svc = new long[n];
    int at = 0;
    String firstError = null;
    for (Worker w : workers) {
      System.arraycopy(w.latency, 0, lat, at, w.recorded);
      System.arraycopy(w.service, 0, svc, at, w.recorded);
      at += w.recorded;
      sent += w.sent;
      ok += w.ok;
      non2xx += w.non2xx;
      errors += w.errors;
      unsent += w.unsent;
      if (firstError == null) {
        firstError = w.firstError;
      }
    }
    Arrays.sort(lat);
    Arrays.sort(svc);
    double seconds = (end - countFrom) / 1e9;
    System.out.printf(Locale.ROOT, "%s: %d requests at a scheduled %.0f/s over %.0f s on %d connections:"
        + " %d 2xx, %d non-2xx, %d errors, %d never sent (fell behind)%n",
      label, sent, rate, seconds, connections, ok, non2xx, errors, unsent);
    System.out.printf(Locale.ROOT, "  latency from scheduled time (ms): p50 %.3f  p90 %.3f  p99 %.3f  p99.9 %.3f  max %.3f%n",
      ms(pct(lat, 50)), ms(pct(lat, 90)), ms(pct(lat, 99)), ms(pct(lat, 99.9)), ms(max(lat)));
    System.out.printf(Locale.ROOT, "  service time from actual send (ms): p50 %.3f  p99 %.3f  p99.9 %.3f%n",
      ms(pct(svc, 50)), ms(pct(svc, 99)), ms(pct(svc, 99.9)));
    if (firstError != null) {
      System.out.println("  first error: " + firstError);
    }
    System.out.printf(Locale.ROOT, "FIXEDRATE label=%s rate=%.0f achieved_rps=%.1f sent=%d ok=%d non2xx=%d errors=%d"
        + " unsent=%d p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f p999_ms=%.3f max_ms=%.3f svc_p50_ms=%.3f svc_p99_ms=%.3f"
        + " svc_p999_ms=%.3f%n",
      label, rate, n / seconds, sent, ok, non2xx, errors, unsent, ms(pct(lat, 50)), ms(pct(lat, 90)),
      ms(pct(lat, 99)), ms(pct(lat, 99.9)), ms(max(lat)), ms(pct(svc, 50)), ms(pct(svc, 99)), ms(pct(svc, 99.9)));
  }

  private static long pct(long[] sorted, double p) {
    if (sorted.length == 0) {
      return -1_000_000; // prints as -1.000: nothing measured
    }
    int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }

  private static long max(long[] sorted) {
    return sorted.length == 0 ? -1_000_000 : sorted[sorted.length - 1];
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }

  /** One keep-alive connection and its share of the schedule: requests c, c + N, c + 2N, ... */
  private static final class Worker implements Runnable {
    final Thread thread;
    final int index;
    final int connections;
    final InetSocketAddress address;
    final byte[] request;
    final int timeoutMs;
    final long start, countFrom, end, hardStop;
    final double interval;
    final long[] latency;
    final long[] service;
    int recorded;
    long sent, ok, non2xx, errors, unsent;
    String firstError;
    Socket socket;
    InputStream in;
    OutputStream out;
    final byte[] line = new byte[8192];
    final byte[] skip = new byte[16384];

    Worker(int index, int connections, InetSocketAddress address, byte[] request, int timeoutMs, long start,
           long countFrom, long end, long hardStop, double interval, int capacity) {
      this.index = index;
      this.connections = connections;
      this.address = address;
      this.request = request;
      this.timeoutMs = timeoutMs;
      this.start = start;
      this.countFrom = countFrom;
      this.end = end;
      this.hardStop = hardStop;
      this.interval = interval;
      this.latency = new long[capacity];
      this.service = new long[capacity];
      this.thread = new Thread(this, "conn-" + index);
      this.thread.setDaemon(true);
    }

    @Override
    public void run() {
      for (long k = 0; ; k++) {
        long scheduled = start + (long) ((k * connections + index) * interval);
        if (scheduled >= end) {
          break;
        }
        long now = System.nanoTime();
        if (now >= hardStop) {
          if (scheduled >= countFrom) {
            unsent += (long) Math.ceil((end - scheduled) / (interval * connections));
          }
          break;
        }
        while (now < scheduled) {
          LockSupport.parkNanos(scheduled - now);
          now = System.nanoTime();
        }
        boolean counted = scheduled >= countFrom;
        long sentAt = System.nanoTime();
        try {
          if (socket == null) {
            connect();
          }
          out.write(request);
          out.flush();
          int status = readResponse();
          long done = System.nanoTime();
          if (counted) {
            sent++;
            if (status >= 200 && status < 300) {
              ok++;
            } else {
              non2xx++;
            }
            if (recorded < latency.length) {
              latency[recorded] = done - scheduled;
              service[recorded] = done - sentAt;
              recorded++;
            }
          }
        } catch (IOException | RuntimeException e) {
          if (counted) {
            sent++;
            errors++;
            if (firstError == null) {
              firstError = e.toString();
            }
          }
          close();
        }
      }
      close();
    }

    private void connect() throws IOException {
      Socket s = new Socket();
      s.setTcpNoDelay(true);
      s.setSoTimeout(timeoutMs);
      s.connect(address, timeoutMs);
      socket = s;
      in = new BufferedInputStream(s.getInputStream(), 16384);
      out = s.getOutputStream();
    }

    private void close() {
      if (socket != null) {
        try {
          socket.close();
        } catch (IOException ignored) {
          // closing anyway
        }
      }
      socket = null;
      in = null;
      out = null;
    }

    /** Reads one whole response; returns its status. Closes the connection when the server asks to. */
    private int readResponse() throws IOException {
      String statusLine = readLine();
      if (statusLine.length() < 12 || !statusLine.startsWith("HTTP/1.")) {
        throw new IOException("bad status line: " + statusLine);
      }
      int status = Integer.parseInt(statusLine.substring(9, 12));
      long contentLength = -1;
      boolean chunked = false;
      boolean close = statusLine.startsWith("HTTP/1.0");
      for (String h = readLine(); !h.isEmpty(); h = readLine()) {
        int colon = h.indexOf(':');
        if (colon <= 0) {
          continue;
        }
        String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
        String value = h.substring(colon + 1).trim().toLowerCase(Locale.ROOT);
        switch (name) {
          case "content-length" -> contentLength = Long.parseLong(value);
          case "transfer-encoding" -> chunked = value.contains("chunked");
          case "connection" -> close = value.contains("close") ? true : !value.contains("keep-alive") && close;
          default -> { }
        }
      }
      if (chunked) {
        while (true) {
          String size = readLine();
          int semi = size.indexOf(';');
          long n = Long.parseLong((semi >= 0 ? size.substring(0, semi) : size).trim(), 16);
          if (n == 0) {
            while (!readLine().isEmpty()) {
              // trailers
            }
            break;
          }
          skip(n);
          readLine();
        }
      } else if (contentLength >= 0) {
        skip(contentLength);
      } else if (status != 204 && status != 304 && status >= 200) {
        while (in.read(skip) >= 0) {
          // body runs to the end of the connection
        }
        close = true;
      }
      if (close) {
        close();
      }
      return status;
    }

    private void skip(long n) throws IOException {
      while (n > 0) {
        int r = in.read(skip, 0, (int) Math.min(skip.length, n));
        if (r < 0) {
          throw new EOFException("connection closed inside a body");
        }
        n -= r;
      }
    }

    private String readLine() throws IOException {
      int len = 0;
      while (true) {
        int b = in.read();
        if (b < 0) {
          throw new EOFException("connection closed by the server");
        }
        if (b == '\n') {
          break;
        }
        if (len < line.length) {
          line[len++] = (byte) b;
        }
      }
      if (len > 0 && line[len - 1] == '\r') {
        len--;
      }
      return new String(line, 0, len, StandardCharsets.ISO_8859_1);
    }
  }
}
