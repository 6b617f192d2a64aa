package io.junction.gateway.filter;

import java.util.Map;

/**
 * A filter whose change to the outgoing request (path, Host) depends only on that request and the variables the
 * route's predicates captured. The proxy applies it to the {@link Exchange}; the admin API's route test applies
 * the same code to a described request, to show the upstream URL without sending anything.
 */
public interface RequestRewrite {
  /** What a rewrite reads and changes: the {@link Exchange}, or a route test's request. */
  interface Target {
    /** The decoded outgoing path. */
    String path();

    void setPath(String path);

    Map<String, String> variables();

    void setHostOverride(String host);

    void setPreserveHost(boolean preserveHost);
  }

  /** Applies the change; false when it cannot (a variable it needs was not captured), and nothing changed. */
  boolean rewrite(Target target);
}
