package io.junction.gateway.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which endpoints of EndpointSlices (as the API server sends them) become instances, at which port. */
class EndpointSlicesTest {

  static JsonObject port(String name, Object number, String protocol) {
    JsonObject port = new JsonObject().put("port", number);
    if (name != null) {
      port.put("name", name);
    }
    return protocol == null ? port : port.put("protocol", protocol);
  }

  static JsonObject endpoint(JsonObject conditions, String... addresses) {
    JsonObject endpoint = new JsonObject().put("addresses", new JsonArray(List.of((Object[]) addresses)));
    return conditions == null ? endpoint : endpoint.put("conditions", conditions);
  }

  static JsonObject slice(JsonArray ports, JsonObject... endpoints) {
    return new JsonObject().put("ports", ports).put("endpoints", new JsonArray(List.of((Object[]) endpoints)));
  }

  static KubernetesDiscovery spec(String portName, int portNumber) {
    return new KubernetesDiscovery(null, "users", portName, portNumber, "http");
  }

  @Test
  void readyMeansNotFalseAndNotTerminating() {
    JsonObject slice = slice(new JsonArray().add(port("http", 8080, "TCP")),
        endpoint(new JsonObject().put("ready", true), "10.0.0.1"),
        endpoint(null, "10.0.0.2"), // no conditions: read as ready, as Kubernetes says
        endpoint(new JsonObject(), "10.0.0.3"),
        endpoint(new JsonObject().put("ready", false).put("serving", true), "10.0.0.4"),
        endpoint(new JsonObject().put("ready", false).put("serving", true).put("terminating", true), "10.0.0.5"),
        endpoint(new JsonObject().put("terminating", true), "10.0.0.6"));
    assertThat(EndpointSlices.ready(List.of(slice), spec("http", 0))).containsExactly(
        new Endpoint("10.0.0.1", 8080), new Endpoint("10.0.0.2", 8080), new Endpoint("10.0.0.3", 8080));
  }

  @Test
  void thePortIsChosenByNameByNumberOrAsTheOnlyTcpPort() {
    JsonArray two = new JsonArray().add(port("http", 8080, null)).add(port("metrics", 9090, "TCP"));
    JsonObject slice = slice(two, endpoint(null, "10.0.0.1"));
    assertThat(EndpointSlices.ready(List.of(slice), spec("metrics", 0))).containsExactly(new Endpoint("10.0.0.1", 9090));
    assertThat(EndpointSlices.ready(List.of(slice), spec("grpc", 0))).as("no such port").isEmpty();
    assertThat(EndpointSlices.ready(List.of(slice), spec(null, 0))).as("two ports, none named: no guess").isEmpty();
    assertThat(EndpointSlices.ready(List.of(slice), spec(null, 7000))).as("a number is used as it is")
        .containsExactly(new Endpoint("10.0.0.1", 7000));

    JsonArray onlyTcp = new JsonArray().add(port(null, 53, "UDP")).add(port(null, 8080, null));
    assertThat(EndpointSlices.ready(List.of(slice(onlyTcp, endpoint(null, "10.0.0.1"))), spec(null, 0)))
        .containsExactly(new Endpoint("10.0.0.1", 8080));
    JsonArray udpNamed = new JsonArray().add(port("dns", 53, "UDP"));
    assertThat(EndpointSlices.ready(List.of(slice(udpNamed, endpoint(null, "10.0.0.1"))), spec("dns", 0)))
        .as("UDP ports are not for HTTP").isEmpty();
    JsonArray odd = new JsonArray().add(port("http", "8080", null)).add(port("http2", 0, null));
    assertThat(EndpointSlices.ready(List.of(slice(odd, endpoint(null, "10.0.0.1"))), spec("http", 0)))
        .as("malformed ports are skipped").isEmpty();
  }

  @Test
  void everyAddressOfEverySliceOnceSortedAndIpv6WithoutBrackets() {
    JsonArray ports = new JsonArray().add(port("http", 80, null));
    JsonObject one = slice(ports, endpoint(null, "10.0.0.9", "10.0.0.1"));
    JsonObject two = slice(ports, endpoint(null, "10.0.0.1"), endpoint(null, "FD00::1"));
    JsonObject empty = new JsonObject().put("ports", ports); // a slice without endpoints (scaled to zero)
    List<Endpoint> ready = EndpointSlices.ready(List.of(one, two, empty), spec("http", 0));
    assertThat(ready).containsExactly(new Endpoint("10.0.0.1", 80), new Endpoint("10.0.0.9", 80), new Endpoint("fd00::1", 80));
    Instance v6 = new Instance("users", "http", ready.get(2).host(), 80, 1, null, System::nanoTime);
    assertThat(v6.id()).isEqualTo("http://[fd00::1]:80");
  }
}
