package io.junction.http.api;

/** The contract cannot be used: unreadable, invalid, or out of step with the handlers. Stops Junction at start. */
public final class ContractException extends RuntimeException {
  public ContractException(String message) {
    super(message);
  }

  public ContractException(String message, Throwable cause) {
    super(message, cause);
  }
}
