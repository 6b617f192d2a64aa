package io.junction.observability;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import io.junction.testkit.Eventually;
import io.junction.testkit.JunctionTestKit;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.vertx.core.json.JsonObject;
import net.logstash.logback.encoder.LogstashEncoder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** tracing.enabled: spans Vert.x makes for the gateway and the admin API, seen through an in-memory exporter. */
class TracingTest extends TracedGateway {
  @BeforeAll
  static void start() throws Exception {
    startTracing(1.0);
  }

  @Test
  void gatewayServerSpanAndUpstreamClientSpanAreOneTraceAndTheUpstreamGetsIt() {
    String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    String parent = "00f067aa0ba902b7";
    HttpResponse<String> response = JunctionTestKit.send(HttpRequest.newBuilder(kit.publicUri("/api/echo/traced"))
      .header("traceparent", "00-" + traceId + "-" + parent + "-01").GET().build());
    assertThat(response.statusCode()).isEqualTo(200);
    String received = new JsonObject(response.body()).getJsonObject("headers").getString("traceparent");

    List<SpanData> trace = trace(traceId, 2);
    SpanData server = only(trace, SpanKind.SERVER);
    SpanData client = only(trace, SpanKind.CLIENT);
    assertThat(server.getParentSpanId()).isEqualTo(parent);
    assertThat(server.getName()).isEqualTo("GET api");
    assertThat(server.getAttributes().asMap().toString()).contains("junction.route=api");
    assertThat(client.getParentSpanId()).isEqualTo(server.getSpanId());
    // the upstream continues the same trace, as a child of the gateway's client span
    assertThat(received).isEqualTo("00-" + traceId + "-" + client.getSpanId() + "-01");
  }

  @Test
  void malformedTraceparentStartsANewTraceWithoutError() {
    HttpResponse<String> response = JunctionTestKit.send(HttpRequest.newBuilder(kit.publicUri("/api/echo/bad"))
      .header("traceparent", "00-not-a-trace-id-zz").GET().build());
    assertThat(response.statusCode()).isEqualTo(200);
    String received = new JsonObject(response.body()).getJsonObject("headers").getString("traceparent");
    assertThat(received).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
    String traceId = received.substring(3, 35);
    SpanData server = only(trace(traceId, 2), SpanKind.SERVER);
    assertThat(server.getParentSpanContext().isValid()).isFalse();
  }

  @Test
  void logLinesOfATracedRequestCarryItsTraceAndSpanIds() throws Exception {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    ch.qos.logback.classic.Logger access = context.getLogger("junction.access");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    LogstashEncoder encoder = new LogstashEncoder();
    encoder.setContext(context);
    RequestContextJsonProvider ids = new RequestContextJsonProvider();
    ids.setContext(context);
    encoder.addProvider(ids);
    encoder.start();
    OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
    appender.setContext(context);
    appender.setEncoder(encoder);
    appender.setOutputStream(out);
    appender.start();
    access.addAppender(appender);
    try {
      String traceId = "0af7651916cd43dd8448eb211c80319c";
      HttpResponse<String> response = JunctionTestKit.send(HttpRequest.newBuilder(kit.publicUri("/api/echo/logged"))
        .header("traceparent", "00-" + traceId + "-b7ad6b7169203331-01").header("X-Request-Id", "log-test-1").GET().build());
      assertThat(response.statusCode()).isEqualTo(200);
      SpanData server = only(trace(traceId, 2), SpanKind.SERVER);
      Eventually.until("the access line is written", Duration.ofSeconds(5),
        () -> out.toString(StandardCharsets.UTF_8).contains("log-test-1"));
      JsonObject line = null;
      for (String l : out.toString(StandardCharsets.UTF_8).split("\n")) {
        if (l.contains("log-test-1")) {
          line = new JsonObject(l);
        }
      }
      assertThat(line).isNotNull();
      assertThat(line.getString("trace_id")).isEqualTo(traceId);
      assertThat(line.getString("span_id")).isEqualTo(server.getSpanId());
      assertThat(line.getString("route")).isEqualTo("api");
    } finally {
      access.detachAppender(appender);
      appender.stop();
    }
  }

  @Test
  void adminWriteIsOneTraceFromHttpThroughPostgresAndTheEventBusToTheOutboxEnvelope() throws Exception {
    String token = login();
    List<JsonObject> events = new CopyOnWriteArrayList<>();
    var consumer = kit.vertx().eventBus().<JsonObject>consumer("junction.events.user.created", m -> events.add(m.body()));
    consumer.completion().await(5, TimeUnit.SECONDS);
    try {
      String traceId = "5a1c0ffee0ddba11cafe000000000001";
      HttpResponse<String> created = JunctionTestKit.send(HttpRequest.newBuilder(kit.adminUri("/api/v1/users"))
        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
        .header("traceparent", "00-" + traceId + "-1111111111111111-01")
        .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("email", "traced@junction.test")
          .put("password", "traced-password-1").encode())).build());
      assertThat(created.statusCode()).as(created.body()).isEqualTo(201);

      Eventually.until("the audit write is traced", Duration.ofSeconds(10), () -> trace(traceId).stream()
        .anyMatch(s -> s.getKind() == SpanKind.SERVER && mentions(s, "junction.audit.record")));
      List<SpanData> trace = trace(traceId);
      SpanData server = trace.stream().filter(s -> s.getKind() == SpanKind.SERVER && s.getName().equals("POST")).findFirst()
        .orElseThrow(() -> new AssertionError("no HTTP server span in " + names(trace)));
      assertThat(server.getParentSpanId()).isEqualTo("1111111111111111");
      // Postgres queries of the request (the user row and its outbox event, in one transaction)
      assertThat(trace).filteredOn(s -> s.getKind() == SpanKind.CLIENT
          && "postgresql".equals(s.getAttributes().asMap().entrySet().stream()
            .filter(e -> e.getKey().getKey().equals("db.system")).map(e -> String.valueOf(e.getValue())).findFirst().orElse(null)))
        .as("postgres spans in " + names(trace)).isNotEmpty();
      // the audit record travels on the event bus (a request: client span here, server span in the audit module),
      // and the audit module's insert is a Postgres span under it
      SpanData sender = trace.stream().filter(s -> s.getKind() == SpanKind.CLIENT && mentions(s, "junction.audit.record"))
        .findFirst().orElseThrow(() -> new AssertionError("no event-bus send span in " + names(trace)));
      SpanData receiver = trace.stream().filter(s -> s.getKind() == SpanKind.SERVER && mentions(s, "junction.audit.record"))
        .findFirst().orElseThrow();
      assertThat(sender.getParentSpanId()).isEqualTo(server.getSpanId());
      assertThat(receiver.getParentSpanId()).isEqualTo(sender.getSpanId());
      assertThat(trace).filteredOn(s -> s.getParentSpanId().equals(receiver.getSpanId()) && s.getName().equals("Query"))
        .as("the audit insert under the event-bus span, in " + names(trace)).isNotEmpty();
      // the outbox envelope carries the trace id (the Kafka relay sends it on as traceparent)
      Eventually.until("user.created is relayed", Duration.ofSeconds(10), () -> events.stream()
        .anyMatch(e -> "traced@junction.test".equals(e.getJsonObject("data").getString("email"))));
      JsonObject envelope = events.stream().filter(e -> "traced@junction.test".equals(e.getJsonObject("data").getString("email")))
        .findFirst().orElseThrow();
      assertThat(envelope.getString("traceId")).isEqualTo(traceId);
    } finally {
      consumer.unregister();
    }
  }

  private static String login() {
    HttpResponse<String> r = JunctionTestKit.send(HttpRequest.newBuilder(kit.publicUri("/auth/login"))
      .header("Content-Type", "application/json")
      .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("email", JunctionTestKit.ADMIN_EMAIL)
        .put("password", JunctionTestKit.ADMIN_PASSWORD).encode())).build());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return new JsonObject(r.body()).getString("accessToken");
  }

  private static List<SpanData> trace(String traceId) {
    return spans.getFinishedSpanItems().stream().filter(s -> s.getTraceId().equals(traceId)).toList();
  }

  /** The finished spans of a trace, once there are at least {@code atLeast}. */
  private static List<SpanData> trace(String traceId, int atLeast) {
    Eventually.until(atLeast + " spans of trace " + traceId, Duration.ofSeconds(5), () -> trace(traceId).size() >= atLeast);
    return trace(traceId);
  }

  private static SpanData only(List<SpanData> trace, SpanKind kind) {
    List<SpanData> of = trace.stream().filter(s -> s.getKind() == kind).toList();
    assertThat(of).as(kind + " spans in " + names(trace)).hasSize(1);
    return of.get(0);
  }

  private static boolean mentions(SpanData span, String value) {
    return span.getAttributes().asMap().values().stream().anyMatch(v -> value.equals(String.valueOf(v)));
  }

  private static List<String> names(List<SpanData> trace) {
    return trace.stream().map(s -> s.getKind() + " " + s.getName()).toList();
  }
}
