package io.junction.gateway;

import io.junction.testkit.FreePorts;
import io.junction.testkit.JunctionTestKit;
import io.junction.testkit.TestUpstream;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** WebSocket echo through the gateway: path filters apply to the handshake, frames keep their type. */
class WebSocketTest {

  @Test
  void echoThroughTheGateway() throws Exception {
    try (TestUpstream upstream = new TestUpstream("ws");
         JunctionTestKit kit = JunctionTestKit.builder().yaml("""
           gateway:
             routes:
               - id: ws
                 uri: %s
                 predicates: [ "Path=/ws/**" ]
                 filters: [ "StripPrefix=1" ]
               - id: dead
                 uri: http://127.0.0.1:%d
                 predicates: [ "Path=/dead/**" ]
           """.formatted(upstream.url(), FreePorts.next())).start()) {
      BlockingQueue<String> received = new LinkedBlockingQueue<>();
      BlockingQueue<Integer> closed = new LinkedBlockingQueue<>();
      WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder()
        .buildAsync(URI.create("ws://127.0.0.1:" + kit.publicPort() + "/ws/chat?room=1"), new WebSocket.Listener() {
          @Override
          public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            received.add(data.toString());
            socket.request(1);
            return null;
          }

          @Override
          public CompletionStage<?> onBinary(WebSocket socket, ByteBuffer data, boolean last) {
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            received.add("binary:" + bytes.length);
            socket.request(1);
            return null;
          }

          @Override
          public CompletionStage<?> onClose(WebSocket socket, int statusCode, String reason) {
            closed.add(statusCode);
            return null;
          }
        }).get(10, TimeUnit.SECONDS);
      assertThat(received.poll(5, TimeUnit.SECONDS)).isEqualTo("hello /chat?room=1 from ws");
      ws.sendText("ping", true).get(5, TimeUnit.SECONDS);
      assertThat(received.poll(5, TimeUnit.SECONDS)).isEqualTo("echo ping");
      ws.sendBinary(ByteBuffer.wrap(new byte[1000]), true).get(5, TimeUnit.SECONDS);
      assertThat(received.poll(5, TimeUnit.SECONDS)).isEqualTo("binary:1000");
      ws.sendClose(1000, "bye").get(5, TimeUnit.SECONDS);
      assertThat(closed.poll(5, TimeUnit.SECONDS)).isEqualTo(1000);

      Throwable refused = catchThrowable(() -> HttpClient.newHttpClient().newWebSocketBuilder()
        .buildAsync(URI.create("ws://127.0.0.1:" + kit.publicPort() + "/dead/x"), new WebSocket.Listener() { }).join());
      assertThat(refused).isInstanceOf(CompletionException.class).hasCauseInstanceOf(WebSocketHandshakeException.class);
      assertThat(((WebSocketHandshakeException) refused.getCause()).getResponse().statusCode()).isEqualTo(502);
    }
  }
}
