package io.junction.gateway.filter.basic;

import io.junction.gateway.route.definition.Args;
import io.junction.gateway.route.definition.DefinitionException;

/** Header names and values from config, checked so that a typo cannot produce a malformed request. */
final class Headers {

  private Headers() {
  }

  /** A required header name: an HTTP token (letters, digits and {@code !#$%&'*+-.^_`|~}). */
  static String name(Args args, String arg) throws DefinitionException {
    String name = args.requiredString(arg);
    String why = badName(name);
    if (why != null) {
      throw args.bad(arg, why);
    }
    return name;
  }

  /** Why {@code name} is not a header name, or null when it is one. */
  static String badName(String name) {
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean token = c > 32 && c < 127 && "\"(),/:;<=>?@[\\]{}".indexOf(c) < 0;
      if (!token) {
        return "bad header name '" + name + "' (no spaces, ':' or other separators allowed)";
      }
    }
    return null;
  }

  /** A required header value template; control characters (CR, LF) are refused. */
  static Template value(Args args, String arg) throws DefinitionException {
    return Template.parse(checkedValue(args, arg, args.requiredString(arg)));
  }

  static String checkedValue(Args args, String arg, String value) throws DefinitionException {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if ((c < 32 && c != '\t') || c == 127) {
        throw args.bad(arg, "header value must not contain control characters such as line breaks");
      }
    }
    return value;
  }
}
