package io.junction.app;

import io.junction.config.ConfigException;
import io.vertx.core.transport.Transport;

import java.util.List;

/**
 * Picks the network transport from {@code vertx.transport}. {@code auto} is epoll (else NIO). io_uring is
 * opt-in: on the gateway's hot path it saves about a third of the CPU per proxied request over epoll
 * (bench/gateway.sh), because a request's socket operations are submitted in batches instead of one system call
 * each, but under the suite's reload-under-load test (JDK HTTP/1.1 clients, a Vert.x upstream) about 5% of
 * requests saw their keep-alive connection closed without an answer — a fault of the Netty 4.2 io_uring
 * transport we have not isolated — so it is not the default.
 */
final class Transports {
  private Transports() {
  }

  static Transport choose(String setting) {
    String name = setting == null ? "auto" : setting;
    if (name.equals("auto")) {
      return Transport.EPOLL != null && Transport.EPOLL.available() ? Transport.EPOLL : Transport.NIO;
    }
    Transport wanted = switch (name) {
      case "io_uring" -> Transport.IO_URING;
      case "epoll" -> Transport.EPOLL;
      case "nio" -> Transport.NIO;
      default -> throw new ConfigException(List.of("vertx.transport: must be auto, io_uring, epoll or nio, got '" + name + "'"));
    };
    if (wanted == null || !wanted.available()) {
      Throwable cause = wanted == null ? null : wanted.unavailabilityCause();
      throw new ConfigException(List.of("vertx.transport: " + name + " is not available on this machine"
        + (cause == null ? "" : " (" + cause.getMessage() + ")") + "; use auto to fall back"));
    }
    return wanted;
  }
}
