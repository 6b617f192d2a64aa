package io.junction.observability;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import io.junction.testkit.Eventually;
import io.junction.testkit.JunctionTestKit;
import io.junction.testkit.TestUpstream;
import io.vertx.core.json.JsonObject;
import net.logstash.logback.encoder.LogstashEncoder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The gateway's access-log line carries upstreamMs (time in upstream calls) next to durationMs, in JSON and text. */
class AccessLogUpstreamTest {
  static TestUpstream upstream;
  static JunctionTestKit kit;
  final List<OutputStreamAppender<ILoggingEvent>> appenders = new ArrayList<>();
  final ByteArrayOutputStream json = new ByteArrayOutputStream();
  final ByteArrayOutputStream text = new ByteArrayOutputStream();

  @BeforeAll
  static void start() throws Exception {
    upstream = new TestUpstream();
    kit = JunctionTestKit.builder().yaml("""
      gateway:
        routes:
          - id: api
            uri: %1$s
            predicates: [ "Path=/api/**" ]
            filters: [ "StripPrefix=1" ]
          - id: limited
            uri: %1$s
            predicates: [ "Path=/limited/**" ]
            filters: [ "StripPrefix=1", "RequestRateLimiter=1, 1, 1, route" ]
      """.formatted(upstream.url())).start();
  }

  @AfterAll
  static void stop() throws Exception {
    if (kit != null) {
      kit.close();
    }
    upstream.close();
  }

  @BeforeEach
  void capture() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    LogstashEncoder jsonEncoder = new LogstashEncoder();
    jsonEncoder.setContext(context);
    RequestContextJsonProvider ids = new RequestContextJsonProvider();
    ids.setContext(context);
    jsonEncoder.addProvider(ids);
    jsonEncoder.start();
    PatternLayoutEncoder textEncoder = new PatternLayoutEncoder();
    textEncoder.setContext(context);
    textEncoder.setPattern("%msg%n");
    textEncoder.start();
    attach(context, jsonEncoder, json);
    attach(context, textEncoder, text);
  }

  private void attach(LoggerContext context, Encoder<ILoggingEvent> encoder, ByteArrayOutputStream out) {
    OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
    appender.setContext(context);
    appender.setEncoder(encoder);
    appender.setOutputStream(out);
    appender.start();
    context.getLogger("junction.access").addAppender(appender);
    appenders.add(appender);
  }

  @AfterEach
  void release() {
    ch.qos.logback.classic.Logger access = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger("junction.access");
    appenders.forEach(a -> {
      access.detachAppender(a);
      a.stop();
    });
  }

  @Test
  void proxiedRequestLogsTheUpstreamTimeWithinTheDuration() {
    HttpResponse<String> response = get("/api/slow?ms=150", "upstream-ms-1");
    assertThat(response.statusCode()).isEqualTo(200);

    JsonObject line = jsonLine("upstream-ms-1");
    assertThat(line.getString("route")).isEqualTo("api");
    double duration = line.getDouble("durationMs");
    double upstreamMs = line.getDouble("upstreamMs");
    assertThat(upstreamMs).isGreaterThanOrEqualTo(150.0).isLessThanOrEqualTo(duration);

    Matcher m = textLine("/api/slow");
    assertThat(Double.parseDouble(m.group(2))).isGreaterThanOrEqualTo(150.0)
      .isLessThanOrEqualTo(Double.parseDouble(m.group(1)));
  }

  @Test
  void requestAFilterAnsweredHasNoUpstreamTime() {
    get("/limited/echo/a", "upstream-ms-2");
    HttpResponse<String> refused = get("/limited/echo/a", "upstream-ms-3");
    assertThat(refused.statusCode()).isEqualTo(429);

    JsonObject line = jsonLine("upstream-ms-3");
    assertThat(line.getInteger("status")).isEqualTo(429);
    assertThat(line.containsKey("durationMs")).isTrue();
    assertThat(line.containsKey("upstreamMs")).isTrue();
    assertThat(line.getValue("upstreamMs")).isNull();
    Eventually.until("the text line", Duration.ofSeconds(5),
      () -> text.toString(StandardCharsets.UTF_8).contains("status=429"));
    assertThat(text.toString(StandardCharsets.UTF_8)).containsPattern("status=429 bytes=\\d+ durationMs=[0-9.]+ upstreamMs=null");
  }

  private static HttpResponse<String> get(String path, String requestId) {
    return JunctionTestKit.send(HttpRequest.newBuilder(kit.publicUri(path)).header("X-Request-Id", requestId).GET().build());
  }

  private JsonObject jsonLine(String requestId) {
    Eventually.until("the access line of " + requestId, Duration.ofSeconds(5),
      () -> json.toString(StandardCharsets.UTF_8).contains(requestId));
    for (String l : json.toString(StandardCharsets.UTF_8).split("\n")) {
      if (l.contains(requestId)) {
        return new JsonObject(l);
      }
    }
    throw new AssertionError("no access line of " + requestId);
  }

  private Matcher textLine(String path) {
    Pattern p = Pattern.compile("path=" + Pattern.quote(path) + ".* durationMs=([0-9.]+) upstreamMs=([0-9.]+)");
    Eventually.until("the text access line of " + path, Duration.ofSeconds(5),
      () -> p.matcher(text.toString(StandardCharsets.UTF_8)).find());
    Matcher m = p.matcher(text.toString(StandardCharsets.UTF_8));
    assertThat(m.find()).isTrue();
    return m;
  }
}
