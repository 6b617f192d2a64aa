package io.junction.http.api;

import java.util.Set;

/**
 * Operations of the contracts whose module has not shipped its handlers yet. Junction still starts without
 * them and answers them 501 not_implemented; every other operation without a handler stops the start.
 * Remove an id when its handler is wired: {@code ContractDrift} fails a test when a pending id has a handler.
 */
public final class PendingOperations {
  /** The identity module (issue 9 defines the contract; the handlers follow). */
  public static final Set<String> ADMIN = Set.of();
  public static final Set<String> AUTH = Set.of();

  private PendingOperations() {
  }
}
