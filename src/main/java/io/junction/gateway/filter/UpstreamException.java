package io.junction.gateway.filter;

import java.io.IOException;

/**
 * The upstream call failed before a usable response: it could not connect (502), did not answer in time
 * (504), or broke off mid-response (the client has then already been cut off). Retry and CircuitBreaker
 * count these; the proxy turns the first two into 502/504 when no filter handled them.
 */
public class UpstreamException extends IOException {
  public enum Kind { CONNECT, TIMEOUT, BROKEN }

  private final Kind kind;

  public UpstreamException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }

  /** The status a client gets for this failure. */
  public int status() {
    return kind == Kind.TIMEOUT ? 504 : 502;
  }
}
