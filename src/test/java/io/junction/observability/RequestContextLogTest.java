package io.junction.observability;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.json.JsonObject;
import net.logstash.logback.encoder.LogstashEncoder;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** JSON log lines written while a request is handled carry its ids, and the user once authentication named one. */
class RequestContextLogTest {
  @Test
  void jsonLinesCarryRequestTraceSpanAndUserIds() throws Exception {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    LogstashEncoder encoder = new LogstashEncoder();
    encoder.setContext(context);
    RequestContextJsonProvider provider = new RequestContextJsonProvider();
    provider.setContext(context);
    encoder.addProvider(provider);
    encoder.start();
    Vertx vertx = Vertx.vertx();
    try {
      ContextInternal request = ((ContextInternal) vertx.getOrCreateContext()).duplicate();
      CompletableFuture<String[]> lines = new CompletableFuture<>();
      request.runOnContext(v -> {
        new RequestContext("req-7", "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7").attach();
        String before = encode(encoder, context);
        RequestContext.user("user-42");
        lines.complete(new String[] {before, encode(encoder, context)});
      });
      String[] got = lines.get(10, TimeUnit.SECONDS);
      JsonObject anonymous = new JsonObject(got[0]);
      assertThat(anonymous.getString("request_id")).isEqualTo("req-7");
      assertThat(anonymous.getString("trace_id")).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
      assertThat(anonymous.getString("span_id")).isEqualTo("00f067aa0ba902b7");
      assertThat(anonymous.containsKey("user_id")).isFalse();
      assertThat(new JsonObject(got[1]).getString("user_id")).isEqualTo("user-42");
      // outside a request: no ids, and recording a user is a no-op
      RequestContext.user("nobody");
      assertThat(new JsonObject(encode(encoder, context)).containsKey("request_id")).isFalse();
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  private static String encode(LogstashEncoder encoder, LoggerContext context) {
    LoggingEvent event = new LoggingEvent("test", context.getLogger("test"), Level.INFO, "hello", null, null);
    return new String(encoder.encode(event), StandardCharsets.UTF_8).trim();
  }
}
