package io.junction.app;

import io.junction.config.ConfigException;
import io.vertx.core.transport.Transport;

import java.util.List;

/**
 * Picks the network transport from {@code vertx.transport}. {@code auto} takes io_uring when the kernel allows
 * it, else epoll, else NIO: on the gateway's hot path io_uring saves about a third of the CPU per proxied request
 * over epoll (bench/gateway.sh), because a request's socket operations are submitted in batches instead of one
 * system call each. Kernels or container runtimes that forbid io_uring (seccomp) make it unavailable, and
 * {@code auto} falls back. (Netty before 4.2.15 closed a few keep-alive connections without an answer under
 * io_uring — our reload-under-load test caught it — hence the pinned Netty in the pom.)
 */
final class Transports {
  private Transports() {
  }

  static Transport choose(String setting) {
    String name = setting == null ? "auto" : setting;
    if (name.equals("auto")) {
      for (Transport t : List.of(Transport.IO_URING, Transport.EPOLL)) {
        if (t != null && t.available()) {
          return t;
        }
      }
      return Transport.NIO;
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
