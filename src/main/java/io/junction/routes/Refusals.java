package io.junction.routes;

import io.junction.http.ApiProblem;

/** The routes module's own refusals, in the shared {@link ApiProblem} form. */
final class Refusals {
  private Refusals() {
  }

  static ApiProblem readOnly(Kind kind, String id) {
    return new ApiProblem(409, "read_only", kind.noun + " " + id + " comes from the configuration file and is read-only through the API"
      + " (set routes.apiOverrides: true to let the API override it)", null);
  }

  static ApiProblem stale(Kind kind, String id, long current, long asked) {
    return ApiProblem.stale(kind.noun + " " + id + " is at version \"" + current + "\", not \"" + asked + "\"");
  }
}
