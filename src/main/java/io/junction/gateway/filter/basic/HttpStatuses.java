package io.junction.gateway.filter.basic;

import io.junction.gateway.route.definition.Args;
import io.junction.gateway.route.definition.DefinitionException;
import io.junction.gateway.route.definition.Numbers;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** Statuses written as a number ({@code 404}) or a Spring {@code HttpStatus} name ({@code NOT_FOUND}). */
final class HttpStatuses {

  private static final Map<String, Integer> BY_NAME = new HashMap<>();

  static {
    Object[] table = {
        100, "CONTINUE", 101, "SWITCHING_PROTOCOLS", 102, "PROCESSING", 103, "EARLY_HINTS",
        200, "OK", 201, "CREATED", 202, "ACCEPTED", 203, "NON_AUTHORITATIVE_INFORMATION", 204, "NO_CONTENT",
        205, "RESET_CONTENT", 206, "PARTIAL_CONTENT", 207, "MULTI_STATUS", 208, "ALREADY_REPORTED",
        226, "IM_USED",
        300, "MULTIPLE_CHOICES", 301, "MOVED_PERMANENTLY", 302, "FOUND", 302, "MOVED_TEMPORARILY",
        303, "SEE_OTHER", 304, "NOT_MODIFIED", 305, "USE_PROXY", 307, "TEMPORARY_REDIRECT",
        308, "PERMANENT_REDIRECT",
        400, "BAD_REQUEST", 401, "UNAUTHORIZED", 402, "PAYMENT_REQUIRED", 403, "FORBIDDEN", 404, "NOT_FOUND",
        405, "METHOD_NOT_ALLOWED", 406, "NOT_ACCEPTABLE", 407, "PROXY_AUTHENTICATION_REQUIRED",
        408, "REQUEST_TIMEOUT", 409, "CONFLICT", 410, "GONE", 411, "LENGTH_REQUIRED",
        412, "PRECONDITION_FAILED", 413, "PAYLOAD_TOO_LARGE", 413, "CONTENT_TOO_LARGE",
        413, "REQUEST_ENTITY_TOO_LARGE", 414, "URI_TOO_LONG", 414, "REQUEST_URI_TOO_LONG",
        415, "UNSUPPORTED_MEDIA_TYPE", 416, "REQUESTED_RANGE_NOT_SATISFIABLE", 417, "EXPECTATION_FAILED",
        418, "I_AM_A_TEAPOT", 421, "MISDIRECTED_REQUEST", 422, "UNPROCESSABLE_ENTITY",
        422, "UNPROCESSABLE_CONTENT", 423, "LOCKED", 424, "FAILED_DEPENDENCY", 425, "TOO_EARLY",
        426, "UPGRADE_REQUIRED", 428, "PRECONDITION_REQUIRED", 429, "TOO_MANY_REQUESTS",
        431, "REQUEST_HEADER_FIELDS_TOO_LARGE", 451, "UNAVAILABLE_FOR_LEGAL_REASONS",
        500, "INTERNAL_SERVER_ERROR", 501, "NOT_IMPLEMENTED", 502, "BAD_GATEWAY", 503, "SERVICE_UNAVAILABLE",
        504, "GATEWAY_TIMEOUT", 505, "HTTP_VERSION_NOT_SUPPORTED", 506, "VARIANT_ALSO_NEGOTIATES",
        507, "INSUFFICIENT_STORAGE", 508, "LOOP_DETECTED", 509, "BANDWIDTH_LIMIT_EXCEEDED",
        510, "NOT_EXTENDED", 511, "NETWORK_AUTHENTICATION_REQUIRED"};
    for (int i = 0; i < table.length; i += 2) {
      BY_NAME.put((String) table[i + 1], (Integer) table[i]);
    }
  }

  private HttpStatuses() {
  }

  /** The required status argument {@code name}, between {@code min} and {@code max} inclusive. */
  static int required(Args args, String name, int min, int max, String expected) throws DefinitionException {
    Object value = args.values().get(name);
    if (value == null || value.toString().isBlank()) {
      throw args.missing(name);
    }
    Long number = Numbers.parseLong(value);
    Integer status;
    if (number != null) {
      status = number < 0 || number > 999 ? -1 : number.intValue();
    } else {
      status = BY_NAME.get(value.toString().trim().toUpperCase(Locale.ROOT).replace('-', '_'));
      if (status == null) {
        throw args.bad(name, "unknown status '" + value + "' (expected a number such as 404 or a name such"
            + " as NOT_FOUND)");
      }
    }
    if (status < min || status > max) {
      throw args.bad(name, "must be " + expected + ", not " + value);
    }
    return status;
  }
}
