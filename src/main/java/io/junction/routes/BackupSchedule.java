package io.junction.routes;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import io.junction.config.Durations;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.Optional;

/**
 * {@code backup.schedule}: empty (off), an interval ({@code 6h}, {@code 1d}: one backup per interval, the first one
 * interval after start), or a cron expression in UTC — five fields as in crontab ({@code 0 3 * * *}: daily at 03:00)
 * or six with seconds first ({@code 0 0 * * * *}: hourly on the hour).
 */
final class BackupSchedule {
  private static final CronParser UNIX = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
  private static final CronParser WITH_SECONDS = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.SPRING));

  private final String text;
  private final Duration interval;
  private final ExecutionTime cron;

  private BackupSchedule(String text, Duration interval, ExecutionTime cron) {
    this.text = text;
    this.interval = interval;
    this.cron = cron;
  }

  /** @throws IllegalArgumentException naming the key and what is wrong */
  static BackupSchedule parse(String value) {
    String text = value == null ? "" : value.trim();
    if (text.isEmpty()) {
      return new BackupSchedule("", null, null);
    }
    String[] fields = text.split("\\s+");
    if (fields.length == 1) {
      Duration interval;
      try {
        interval = Durations.parse(text);
      } catch (RuntimeException e) {
        throw bad(text, "neither an interval (6h, 1d) nor a cron expression (0 3 * * *)");
      }
      if (interval.isZero() || interval.isNegative()) {
        throw bad(text, "an interval must be longer than 0");
      }
      return new BackupSchedule(text, interval, null);
    }
    if (fields.length != 5 && fields.length != 6) {
      throw bad(text, "a cron expression has 5 fields (minute hour day-of-month month day-of-week) or 6 (seconds first), not " + fields.length);
    }
    Cron cron;
    try {
      cron = (fields.length == 5 ? UNIX : WITH_SECONDS).parse(text).validate();
    } catch (IllegalArgumentException e) {
      throw bad(text, "not a valid cron expression: " + e.getMessage());
    }
    ExecutionTime times = ExecutionTime.forCron(cron);
    if (times.nextExecution(ZonedDateTime.now(java.time.ZoneOffset.UTC)).isEmpty()) {
      throw bad(text, "the cron expression never fires");
    }
    return new BackupSchedule(text, null, times);
  }

  private static IllegalArgumentException bad(String text, String why) {
    return new IllegalArgumentException("config key 'backup.schedule': value \"" + text + "\" is not valid: " + why);
  }

  boolean off() {
    return interval == null && cron == null;
  }

  /** How long from {@code now} (UTC) until the next backup; empty when off. */
  Optional<Duration> untilNext(ZonedDateTime now) {
    if (interval != null) {
      return Optional.of(interval);
    }
    return cron == null ? Optional.empty() : cron.timeToNextExecution(now);
  }

  @Override
  public String toString() {
    return off() ? "off" : interval != null ? "every " + text : "cron '" + text + "' (UTC)";
  }
}
