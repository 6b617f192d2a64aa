package io.junction.observability;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import net.logstash.logback.encoder.LogstashEncoder;
import net.logstash.logback.fieldnames.LogstashFieldNames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Locale;

/**
 * Logging set up in code, so one place decides the format: JSON lines (default) or text, to stdout.
 * Registered as logback's Configurator (META-INF/services) for the first lines, before config is read;
 * {@link #apply} switches to the configured format and level once it is.
 */
public class LogSetup extends ContextAwareBase implements Configurator {
  /** Env/system property read before the config file is: lets tests and operators pick the early format. */
  private static final String FORMAT_ENV = "JUNCTION_LOGGING_FORMAT";
  private static final String FORMAT_PROPERTY = "junction.logging.format";
  private static final String[] QUIET = {"io.netty", "io.zonky", "org.flywaydb", "com.hazelcast", "org.apache.kafka", "io.vertx.core.impl"};
  /** Micrometer warns once that Vert.x registers its event-bus handler gauge twice; harmless, and not the operator's to fix. */
  private static final String[] SILENT = {"io.micrometer.core.instrument.MeterRegistry"};

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    String format = System.getProperty(FORMAT_PROPERTY, System.getenv().getOrDefault(FORMAT_ENV, "json"));
    install(context, format, "INFO");
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  /** Switches the whole process to the configured format and level. */
  public static void apply(String format, String level) {
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
      String override = System.getProperty(FORMAT_PROPERTY);
      context.reset();
      install(context, override != null ? override : format, level);
    }
  }

  private static void install(LoggerContext context, String format, String level) {
    ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
    appender.setContext(context);
    appender.setName("stdout");
    appender.setEncoder("text".equals(format.toLowerCase(Locale.ROOT)) ? textEncoder(context) : jsonEncoder(context));
    appender.start();
    ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.toLevel(level, Level.INFO));
    root.addAppender(appender);
    for (String name : QUIET) {
      context.getLogger(name).setLevel(Level.WARN);
    }
    for (String name : SILENT) {
      context.getLogger(name).setLevel(Level.ERROR);
    }
  }

  private static Encoder<ILoggingEvent> jsonEncoder(LoggerContext context) {
    LogstashEncoder encoder = new LogstashEncoder();
    encoder.setContext(context);
    LogstashFieldNames names = new LogstashFieldNames();
    names.setTimestamp("timestamp");
    names.setVersion("[ignore]");
    names.setLogger("logger");
    names.setThread("thread");
    names.setLevelValue("[ignore]");
    names.setStackTrace("stack_trace");
    encoder.setFieldNames(names);
    RequestContextJsonProvider provider = new RequestContextJsonProvider();
    provider.setContext(context);
    encoder.addProvider(provider);
    encoder.start();
    return encoder;
  }

  private static Encoder<ILoggingEvent> textEncoder(LoggerContext context) {
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern("%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level %logger{36}%rctx - %msg%n");
    encoder.start();
    return encoder;
  }

  static {
    // PatternLayout must know our converter even if the text encoder is built before the registry exists.
    PatternLayout.DEFAULT_CONVERTER_SUPPLIER_MAP.put("rctx", RequestContextConverter::new);
  }
}
