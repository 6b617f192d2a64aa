package io.junction.app;

/** A module that did not start: carries the module's name so the one log line can say which and why. */
public class ModuleStartException extends RuntimeException {
  private final String module;

  public ModuleStartException(String module, Throwable cause) {
    super("module " + module + ": " + rootMessage(cause), cause);
    this.module = module;
  }

  public String module() {
    return module;
  }

  private static String rootMessage(Throwable t) {
    String message = t.getMessage();
    Throwable cause = t.getCause();
    // Wrappers such as ExecutionException carry the real reason underneath.
    while ((message == null || message.isBlank()) && cause != null) {
      message = cause.getMessage();
      cause = cause.getCause();
    }
    return message == null ? t.getClass().getSimpleName() : message;
  }
}
