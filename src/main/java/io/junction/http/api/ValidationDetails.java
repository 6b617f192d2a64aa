package io.junction.http.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.OutputUnit;
import io.vertx.openapi.validation.SchemaValidationException;
import io.vertx.openapi.validation.ValidatorErrorType;
import io.vertx.openapi.validation.ValidatorException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns vertx-openapi's validation failures into ErrorDetail entries. The library reports a body as a tree of
 * output units, wrappers included ("A subschema had errors") and, for properties that failed their own schema,
 * a spurious additionalProperties error; only the innermost, real problems become details.
 */
final class ValidationDetails {
  /** Keywords whose errors only say "something below failed". */
  private static final Set<String> WRAPPERS = Set.of("properties", "items", "prefixItems", "$ref", "$dynamicRef",
    "additionalItems", "contains", "if", "then", "else", "patternProperties", "propertyNames", "dependentSchemas",
    "unevaluatedItems");
  /** Keywords that fail when a branch below failed: kept only when nothing more precise was reported there. */
  private static final Set<String> COMBINERS = Set.of("allOf", "anyOf", "oneOf", "not", "additionalProperties");
  private static final Pattern PARAMETER = Pattern.compile("(query|path|header|cookie) parameter (\\S+?)(?: is invalid| can't|\\.|$| doesn't)");
  private static final Pattern REQUIRED = Pattern.compile("required property \"(.*)\"");
  private static final Pattern ADDITIONAL = Pattern.compile("Property \"(.*)\" does not match additional properties");

  private ValidationDetails() {
  }

  static JsonArray of(ValidatorException e) {
    JsonArray details = new JsonArray();
    String message = String.valueOf(e.getMessage());
    Matcher parameter = PARAMETER.matcher(message);
    if (parameter.find()) {
      String in = parameter.group(1);
      String name = parameter.group(2);
      details.add(ErrorDetails.parameter(in, name, keyword(e), parameterReason(e, message)));
    } else if (e instanceof SchemaValidationException schema && schema.getOutputUnit() != null) {
      bodyDetails(schema.getOutputUnit()).forEach(details::add);
    } else if (message.contains("required body") || e.type() == ValidatorErrorType.MISSING_REQUIRED_PARAMETER) {
      details.add(ErrorDetails.body("", "required", "a JSON body is required"));
    } else {
      details.add(ErrorDetails.body("", null, message));
    }
    if (details.isEmpty()) {
      details.add(ErrorDetails.body("", null, message));
    }
    return details;
  }

  private static String keyword(ValidatorException e) {
    if (e.type() == ValidatorErrorType.MISSING_REQUIRED_PARAMETER) {
      return "required";
    }
    if (e instanceof SchemaValidationException schema && schema.getOutputUnit() != null) {
      List<OutputUnit> leaves = leaves(schema.getOutputUnit());
      if (!leaves.isEmpty()) {
        return lastSegment(leaves.get(0).getKeywordLocation());
      }
    }
    return e.type() == ValidatorErrorType.INVALID_VALUE_FORMAT || e.type() == ValidatorErrorType.UNSUPPORTED_VALUE_FORMAT ? "style" : null;
  }

  private static String parameterReason(ValidatorException e, String message) {
    if (e.type() == ValidatorErrorType.MISSING_REQUIRED_PARAMETER) {
      return "is required";
    }
    int reason = message.indexOf("Reason: ");
    return reason >= 0 ? message.substring(reason + 8) : message;
  }

  private static List<JsonObject> bodyDetails(OutputUnit root) {
    Map<String, JsonObject> byPlace = new LinkedHashMap<>();
    List<OutputUnit> leaves = leaves(root);
    List<String> precise = new ArrayList<>();
    for (OutputUnit unit : leaves) {
      if (!COMBINERS.contains(lastSegment(unit.getKeywordLocation()))) {
        precise.add(pointer(unit.getInstanceLocation()));
      }
    }
    for (OutputUnit unit : leaves) {
      String keyword = lastSegment(unit.getKeywordLocation());
      String pointer = pointer(unit.getInstanceLocation());
      String error = String.valueOf(unit.getError());
      String reason = error;
      if ("required".equals(keyword)) {
        Matcher m = REQUIRED.matcher(error);
        if (m.find()) {
          pointer = pointer + "/" + ErrorDetails.escape(m.group(1));
          reason = "is required";
        }
      } else if ("additionalProperties".equals(keyword)) {
        Matcher m = ADDITIONAL.matcher(error);
        if (m.find()) {
          pointer = pointer.endsWith("/" + ErrorDetails.escape(m.group(1))) ? pointer : pointer + "/" + ErrorDetails.escape(m.group(1));
        }
        reason = "is not a known field";
      }
      if (COMBINERS.contains(keyword) && coveredBy(pointer, precise)) {
        continue;
      }
      byPlace.putIfAbsent(pointer + " " + keyword, ErrorDetails.body(pointer, keyword, reason));
    }
    return new ArrayList<>(byPlace.values());
  }

  private static boolean coveredBy(String pointer, List<String> precise) {
    for (String p : precise) {
      if (p.equals(pointer) || p.startsWith(pointer + "/")) {
        return true;
      }
    }
    return false;
  }

  /** The units that carry an error of their own (not wrappers), depth first. */
  private static List<OutputUnit> leaves(OutputUnit root) {
    List<OutputUnit> out = new ArrayList<>();
    collect(root, out);
    if (out.isEmpty() && root.getError() != null) {
      out.add(root);
    }
    return out;
  }

  private static void collect(OutputUnit unit, List<OutputUnit> out) {
    if (unit.getErrors() != null) {
      for (OutputUnit child : unit.getErrors()) {
        collect(child, out);
      }
    }
    if (unit.getError() != null && unit.getKeywordLocation() != null && !WRAPPERS.contains(lastSegment(unit.getKeywordLocation()))) {
      out.add(unit);
    }
  }

  /** "#/roles/0" → "/roles/0"; "#" → "". */
  private static String pointer(String instanceLocation) {
    if (instanceLocation == null) {
      return "";
    }
    String p = instanceLocation.startsWith("#") ? instanceLocation.substring(1) : instanceLocation;
    return p.equals("/") ? "" : p;
  }

  private static String lastSegment(String keywordLocation) {
    if (keywordLocation == null) {
      return null;
    }
    int slash = keywordLocation.lastIndexOf('/');
    return slash >= 0 ? keywordLocation.substring(slash + 1) : keywordLocation;
  }
}
