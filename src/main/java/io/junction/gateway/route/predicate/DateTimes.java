package io.junction.gateway.route.predicate;

import io.junction.gateway.route.definition.Args;
import io.junction.gateway.route.definition.DefinitionException;
import io.junction.gateway.route.definition.Numbers;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;

/**
 * Date arguments of After, Before and Between, in the forms Spring accepts:
 * ISO-8601 with an offset and optional zone id
 * ({@code 2017-01-20T17:42:47.789-07:00[America/Denver]}, {@code ...Z}) or
 * epoch milliseconds.
 */
final class DateTimes {

  private DateTimes() {
  }

  static ZonedDateTime required(Args args, String name) throws DefinitionException {
    Object raw = args.values().get(name);
    String text = args.requiredString(name);
    Long millis = Numbers.parseLong(raw);
    if (millis != null) {
      return ZonedDateTime.ofInstant(Instant.ofEpochMilli(millis), ZoneOffset.UTC);
    }
    try {
      return ZonedDateTime.parse(text);
    } catch (DateTimeParseException e) {
      throw args.bad(name, "bad date '" + text + "' (expected ISO-8601 such as "
          + "2017-01-20T17:42:47.789-07:00[America/Denver], or epoch milliseconds)");
    }
  }
}
