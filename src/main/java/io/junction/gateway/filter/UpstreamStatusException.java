package io.junction.gateway.filter;

/**
 * The upstream answered with a status the exchange was told to treat as a failure (Retry, CircuitBreaker).
 * Nothing has been sent to the client yet, so the filter that asked can try again or fall back.
 */
public class UpstreamStatusException extends RuntimeException {
  private final int status;

  public UpstreamStatusException(int status) {
    super("upstream answered " + status, null, false, false);
    this.status = status;
  }

  public int status() {
    return status;
  }
}
