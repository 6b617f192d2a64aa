package io.junction.testkit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** A currently free loopback port (bound and released at once; tests start their servers right after). */
public final class FreePorts {
  private FreePorts() {
  }

  public static int next() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("no free port", e);
    }
  }
}
