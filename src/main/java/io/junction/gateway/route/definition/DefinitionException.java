package io.junction.gateway.route.definition;

/**
 * A predicate or filter definition that cannot be used: bad shape, unknown
 * name, missing or malformed argument. Checked, because config loading must
 * turn it into a {@link ConfigProblem} rather than let it escape.
 */
public class DefinitionException extends Exception {

  private static final long serialVersionUID = 1L;

  public DefinitionException(String message) {
    // no stack trace: this is a user-facing validation result, not a bug
    super(message, null, false, false);
  }
}
