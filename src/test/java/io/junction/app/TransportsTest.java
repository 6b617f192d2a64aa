package io.junction.app;

import io.junction.config.ConfigException;
import io.vertx.core.transport.Transport;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TransportsTest {
  @Test
  void autoIsIoUringWhenAvailableElseEpollElseNio() {
    Transport chosen = Transports.choose("auto");
    assertThat(chosen).isEqualTo(Transport.IO_URING.available() ? Transport.IO_URING : Transport.EPOLL.available() ? Transport.EPOLL : Transport.NIO);
    assertThat(Transports.choose(null)).isEqualTo(chosen);
  }

  @Test
  void namedTransportsAreTakenWhenAvailableAndRefusedByNameWhenNot() {
    assertThat(Transports.choose("nio")).isEqualTo(Transport.NIO);
    for (String name : new String[] {"epoll", "io_uring"}) {
      Transport t = name.equals("epoll") ? Transport.EPOLL : Transport.IO_URING;
      if (t.available()) {
        assertThat(Transports.choose(name)).isEqualTo(t);
      } else {
        assertThatThrownBy(() -> Transports.choose(name)).isInstanceOf(ConfigException.class)
          .hasMessageContaining("vertx.transport: " + name + " is not available");
      }
    }
  }

  @Test
  void unknownNamesAreConfigErrors() {
    assertThatThrownBy(() -> Transports.choose("kqueue-ish")).isInstanceOf(ConfigException.class)
      .hasMessage("vertx.transport: must be auto, io_uring, epoll or nio, got 'kqueue-ish'");
  }
}
