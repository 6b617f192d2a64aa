package io.junction.identity;

import io.junction.http.ApiProblem;

/** The identity module's own refusals, in the shared {@link ApiProblem} form. */
final class Refusals {
  private Refusals() {
  }

  static ApiProblem stale(long current) {
    return ApiProblem.stale("If-Match does not match the current version \"" + current + "\"");
  }
}
