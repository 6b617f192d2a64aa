package io.junction.gateway.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** The {@code services} section: what a good one builds, and that every mistake names its field. */
class ServicesConfigTest {

  private static JsonObject one(JsonObject service) {
    return new JsonObject().put("user-service", service);
  }

  private static JsonObject base() {
    return new JsonObject().put("instances", new JsonArray().add("http://10.0.0.5:9000"));
  }

  @Test
  void aFullServiceBuildsWithEveryFieldRead() {
    JsonObject config = new JsonObject()
        .put("instances", new JsonArray().add("http://10.0.0.5:9000")
            .add(new JsonObject().put("url", "HTTPS://Api.Example.com").put("weight", 2))
            .add("http://[::1]:8080/"))
        .put("loadBalancer", "consistent-hash")
        .put("hashOn", new JsonObject().put("cookie", "SESSION"))
        .put("healthCheck", new JsonObject().put("path", "/health").put("interval", "5s").put("timeout", 2000)
            .put("healthyThreshold", 2).put("unhealthyThreshold", 3).put("expectedStatus", "200-399"))
        .put("passive", new JsonObject().put("consecutiveFailures", 5).put("ejectFor", "2m"))
        .put("failOpen", true);
    ServiceRegistry.Result result = ServiceRegistry.build(one(config));
    assertThat(result.problems()).isEmpty();
    assertThat(result.ok()).isTrue();
    Service service = result.registry().get("user-service");
    assertThat(result.registry().names()).containsExactly("user-service");
    assertThat(service.loadBalancer()).isEqualTo("consistent-hash");
    assertThat(service.hashOn()).isEqualTo(new HashOn(HashOn.Source.COOKIE, "SESSION"));
    assertThat(service.failOpen()).isTrue();
    assertThat(service.passive()).isEqualTo(new PassiveCheck(5, 120_000));
    HealthCheck check = service.healthCheck();
    assertThat(check.path()).isEqualTo("/health");
    assertThat(check.intervalMillis()).isEqualTo(5000);
    assertThat(check.timeoutMillis()).isEqualTo(2000);
    assertThat(check.expectedStatus().matches(399)).isTrue();
    assertThat(check.expectedStatus().matches(400)).isFalse();

    Instance plain = service.instances().get(0);
    assertThat(plain.id()).isEqualTo("http://10.0.0.5:9000");
    assertThat(plain.weight()).isEqualTo(1);
    assertThat(plain.ssl()).isFalse();
    assertThat(plain.authority()).isEqualTo("10.0.0.5:9000");
    Instance tls = service.instances().get(1);
    assertThat(tls.id()).isEqualTo("https://api.example.com:443");
    assertThat(tls.ssl()).isTrue();
    assertThat(tls.port()).isEqualTo(443);
    assertThat(tls.weight()).isEqualTo(2);
    assertThat(tls.authority()).isEqualTo("api.example.com");
    Instance v6 = service.instances().get(2);
    assertThat(v6.host()).isEqualTo("::1");
    assertThat(v6.id()).isEqualTo("http://[::1]:8080");
  }

  @Test
  void defaultsAreRoundRobinNoChecksFailClosed() {
    Service service = ServiceRegistry.build(one(base())).registry().get("user-service");
    assertThat(service.loadBalancer()).isEqualTo("round-robin");
    assertThat(service.healthCheck()).isNull();
    assertThat(service.passive()).isNull();
    assertThat(service.hashOn()).isNull();
    assertThat(service.failOpen()).isFalse();
  }

  @Test
  void healthCheckAndPassiveDefaults() {
    JsonObject config = base().put("healthCheck", new JsonObject().put("path", "/ping")).put("passive", new JsonObject());
    Service service = ServiceRegistry.build(one(config)).registry().get("user-service");
    HealthCheck check = service.healthCheck();
    assertThat(check.intervalMillis()).isEqualTo(5000);
    assertThat(check.timeoutMillis()).isEqualTo(2000);
    assertThat(check.healthyThreshold()).isEqualTo(2);
    assertThat(check.unhealthyThreshold()).isEqualTo(3);
    assertThat(check.expectedStatus()).hasToString("200-399");
    assertThat(service.passive()).isEqualTo(new PassiveCheck(5, 30_000));
  }

  @Test
  void expectedStatusTakesANumberARangeOrAList() {
    for (Object form : List.of(204, "204", "204,300-302", new JsonArray().add(204).add("300-302"))) {
      JsonObject config = base().put("healthCheck", new JsonObject().put("path", "/h").put("expectedStatus", form));
      StatusRanges expected = ServiceRegistry.build(one(config)).registry().get("user-service").healthCheck().expectedStatus();
      assertThat(expected.matches(204)).as(String.valueOf(form)).isTrue();
      assertThat(expected.matches(200)).as(String.valueOf(form)).isFalse();
    }
  }

  @Test
  void discoveryIsReadAndNeedsNoInstancesUntilTheWatchBringsThem() {
    JsonObject kubernetes = new JsonObject().put("namespace", "shop").put("service", "user-service").put("port", "http");
    JsonObject config = new JsonObject().put("discovery", new JsonObject().put("kubernetes", kubernetes));
    ServiceRegistry.Result result = ServiceRegistry.build(one(config));
    assertThat(result.problems()).isEmpty();
    Service service = result.registry().get("user-service");
    assertThat(service.discovery()).isEqualTo(new KubernetesDiscovery("shop", "user-service", "http", 0, "http"));
    assertThat(service.instances()).isEmpty();
    assertThat(service.choose(null)).isNull();
  }

  @Test
  void discoveryDefaultsToTheOwnNamespaceTheOnlyPortAndHttpAndTakesPortNumbers() {
    JsonObject minimal = new JsonObject().put("discovery", new JsonObject().put("kubernetes", new JsonObject().put("service", "users")));
    assertThat(ServiceRegistry.build(one(minimal)).registry().get("user-service").discovery())
      .isEqualTo(new KubernetesDiscovery(null, "users", null, 0, "http"));
    for (Object port : new Object[] {8443, "8443"}) {
      JsonObject numbered = new JsonObject().put("discovery", new JsonObject().put("kubernetes",
        new JsonObject().put("service", "users").put("port", port).put("scheme", "https")));
      assertThat(ServiceRegistry.build(one(numbered)).registry().get("user-service").discovery())
        .isEqualTo(new KubernetesDiscovery(null, "users", null, 8443, "https"));
    }
  }

  @Test
  void textValuesFromEnvironmentOverridesAreRead() {
    JsonObject config = new JsonObject()
        .put("instances", new JsonArray().add(new JsonObject().put("url", "http://h:1").put("weight", "3")))
        .put("failOpen", "true")
        .put("passive", new JsonObject().put("consecutiveFailures", "4"));
    ServiceRegistry.Result result = ServiceRegistry.build(one(config));
    assertThat(result.problems()).isEmpty();
    Service service = result.registry().get("user-service");
    assertThat(service.failOpen()).isTrue();
    assertThat(service.instances().get(0).weight()).isEqualTo(3);
    assertThat(service.passive().consecutiveFailures()).isEqualTo(4);
  }

  @Test
  void emptyOrMissingSectionIsAnEmptyRegistry() {
    assertThat(ServiceRegistry.build(null).registry().names()).isEmpty();
    assertThat(ServiceRegistry.build(new JsonObject()).registry().names()).isEmpty();
  }

  static Stream<Arguments> badConfigs() {
    return Stream.of(
        Arguments.of("not an object", new JsonObject().put("user-service", "http://x"), "services.user-service: must be an object"),
        Arguments.of("bad name", new JsonObject().put("user service", base()), "services.user service: bad service name"),
        bad(new JsonObject(), "services.user-service.instances: required"),
        bad(new JsonObject().put("instances", "http://x:1"), "services.user-service.instances: must be a list"),
        bad(new JsonObject().put("instances", new JsonArray()), "services.user-service.instances: must list at least one"),
        bad(instances("ftp://10.0.0.5:21"), "services.user-service.instances[0]: bad URL 'ftp://10.0.0.5:21': scheme must be http or https"),
        bad(instances("10.0.0.5:9000"), "services.user-service.instances[0]: bad URL"),
        bad(instances("http://"), "services.user-service.instances[0]: bad URL"),
        bad(instances("http://h:1/api"), "services.user-service.instances[0]: bad URL 'http://h:1/api': only scheme, host and port"),
        bad(instances("http://h:1?x=1"), "services.user-service.instances[0]: bad URL"),
        bad(instances("http://u:p@h:1"), "services.user-service.instances[0]: bad URL 'http://u:p@h:1': user info"),
        bad(instances("http://h:70000"), "services.user-service.instances[0]: bad URL 'http://h:70000': port must be 1-65535"),
        bad(instances("http://my_host:80"), "services.user-service.instances[0]: bad URL 'http://my_host:80': 'my_host:80' is not a valid host[:port]"),
        bad(instances("http://h b:1"), "services.user-service.instances[0]: bad URL"),
        bad(new JsonObject().put("instances", new JsonArray().add(42)), "services.user-service.instances[0]: must be a URL or a {url, weight} object"),
        bad(instances("http://h:1", "HTTP://H:1/"), "services.user-service.instances[1]: duplicate of instances[0]"),
        bad(instance(new JsonObject().put("url", "http://h:1").put("weight", -1)), "services.user-service.instances[0].weight: must be a whole number from 1 to 1000, got -1"),
        bad(instance(new JsonObject().put("url", "http://h:1").put("weight", 0)), "services.user-service.instances[0].weight: must be a whole number"),
        bad(instance(new JsonObject().put("url", "http://h:1").put("weight", 1.5)), "services.user-service.instances[0].weight: must be a whole number"),
        bad(instance(new JsonObject().put("url", "http://h:1").put("weight", 1001)), "services.user-service.instances[0].weight: must be a whole number"),
        bad(instance(new JsonObject().put("weight", 2)), "services.user-service.instances[0].url: required"),
        bad(instance(new JsonObject().put("url", "http://h:1").put("wieght", 2)), "services.user-service.instances[0].wieght: unknown field"),
        bad(base().put("loadBalancer", "random"), "services.user-service.loadBalancer: unknown load balancer 'random' (expected one of round-robin, weighted, least-requests, power-of-two, consistent-hash)"),
        bad(base().put("loadBalancer", 3), "services.user-service.loadBalancer: unknown load balancer"),
        bad(base().put("loadbalancer", "weighted"), "services.user-service.loadbalancer: unknown field"),
        bad(base().put("loadBalancer", "consistent-hash"), "services.user-service.hashOn: required with loadBalancer consistent-hash"),
        bad(base().put("hashOn", new JsonObject().put("header", "X")), "services.user-service.hashOn: only used with loadBalancer consistent-hash"),
        bad(hash(new JsonObject()), "services.user-service.hashOn: needs one of header"),
        bad(hash(new JsonObject().put("header", "X").put("cookie", "Y")), "services.user-service.hashOn: give only one of header, cookie, ip"),
        bad(hash(new JsonObject().put("header", " ")), "services.user-service.hashOn.header: must be a header name"),
        bad(hash(new JsonObject().put("ip", false)), "services.user-service.hashOn.ip: must be true"),
        bad(hash(new JsonObject().put("query", "q")), "services.user-service.hashOn.query: unknown field"),
        bad(hash("X-User-Id"), "services.user-service.hashOn: must be an object"),
        bad(base().put("healthCheck", "/health"), "services.user-service.healthCheck: must be an object"),
        bad(health(new JsonObject()), "services.user-service.healthCheck.path: required"),
        bad(health(new JsonObject().put("path", "health")), "services.user-service.healthCheck.path: must be a path starting with '/'"),
        bad(healthWith("interval", "5 seconds"), "services.user-service.healthCheck.interval: '5 seconds' is not a duration"),
        bad(healthWith("interval", 0), "services.user-service.healthCheck.interval: must be more than 0"),
        bad(healthWith("interval", -5), "services.user-service.healthCheck.interval: must be more than 0"),
        bad(healthWith("timeout", "-1s"), "services.user-service.healthCheck.timeout: '-1s' is not a duration"),
        bad(healthWith("timeout", 2.5), "services.user-service.healthCheck.timeout: must be whole milliseconds"),
        bad(healthWith("healthyThreshold", 0), "services.user-service.healthCheck.healthyThreshold: must be a whole number of at least 1, got 0"),
        bad(healthWith("unhealthyThreshold", "many"), "services.user-service.healthCheck.unhealthyThreshold: must be a whole number of at least 1, got 'many'"),
        bad(healthWith("expectedStatus", "2xx"), "services.user-service.healthCheck.expectedStatus: '2xx' is not a status or range"),
        bad(healthWith("expectedStatus", "399-200"), "services.user-service.healthCheck.expectedStatus: '399-200' is an empty range"),
        bad(healthWith("expectedStatus", 700), "services.user-service.healthCheck.expectedStatus: 700 is not an HTTP status"),
        bad(healthWith("expectedStatus", new JsonObject()), "services.user-service.healthCheck.expectedStatus: must be a status, a range or a list"),
        bad(healthWith("method", "HEAD"), "services.user-service.healthCheck.method: unknown field"),
        bad(base().put("passive", 5), "services.user-service.passive: must be an object"),
        bad(base().put("passive", new JsonObject().put("consecutiveFailures", -2)), "services.user-service.passive.consecutiveFailures: must be a whole number of at least 1"),
        bad(base().put("passive", new JsonObject().put("ejectFor", "forever")), "services.user-service.passive.ejectFor: 'forever' is not a duration"),
        bad(base().put("passive", new JsonObject().put("ejectFor", "0s")), "services.user-service.passive.ejectFor: must be more than 0"),
        bad(base().put("passive", new JsonObject().put("interval", "1s")), "services.user-service.passive.interval: unknown field"),
        bad(base().put("failOpen", "yes"), "services.user-service.failOpen: must be true or false, got 'yes'"),
        bad(base().put("discovery", new JsonObject().put("kubernetes", new JsonObject())), "services.user-service.discovery: cannot be combined with instances"),
        bad(new JsonObject().put("discovery", new JsonObject().put("consul", new JsonObject())), "services.user-service.discovery.consul: unknown discovery type (known: kubernetes)"),
        bad(new JsonObject().put("discovery", new JsonObject().put("kubernetes", "shop")), "services.user-service.discovery.kubernetes: must be an object"),
        bad(new JsonObject().put("discovery", "kubernetes"), "services.user-service.discovery: must be an object naming a discovery type"),
        bad(new JsonObject().put("discovery", new JsonObject()), "services.user-service.discovery: must be an object naming a discovery type"),
        bad(kube(new JsonObject().put("port", "http")), "services.user-service.discovery.kubernetes.service: required"),
        bad(kube(new JsonObject().put("service", "User_Service")), "services.user-service.discovery.kubernetes.service: must be a Service name"),
        bad(kube(new JsonObject().put("service", "9lives")), "services.user-service.discovery.kubernetes.service: must be a Service name"),
        bad(kube(new JsonObject().put("service", 42)), "services.user-service.discovery.kubernetes.service: must be a Service name"),
        bad(kube(new JsonObject().put("service", "users").put("namespace", "Shop")), "services.user-service.discovery.kubernetes.namespace: must be a namespace name"),
        bad(kube(new JsonObject().put("service", "users").put("port", 0)), "services.user-service.discovery.kubernetes.port: a port number must be 1-65535, got 0"),
        bad(kube(new JsonObject().put("service", "users").put("port", 70000)), "services.user-service.discovery.kubernetes.port: a port number must be 1-65535"),
        bad(kube(new JsonObject().put("service", "users").put("port", "a-very-long-port-name")), "services.user-service.discovery.kubernetes.port: must be the name of a port"),
        bad(kube(new JsonObject().put("service", "users").put("port", "HTTP")), "services.user-service.discovery.kubernetes.port: must be the name of a port"),
        bad(kube(new JsonObject().put("service", "users").put("port", 80.5)), "services.user-service.discovery.kubernetes.port: must be the name of a port"),
        bad(kube(new JsonObject().put("service", "users").put("scheme", "grpc")), "services.user-service.discovery.kubernetes.scheme: must be http or https, got 'grpc'"),
        bad(kube(new JsonObject().put("service", "users").put("portName", "http")), "services.user-service.discovery.kubernetes.portName: unknown field (known: namespace, service, port, scheme)"));
  }

  private static Arguments bad(JsonObject service, String problem) {
    return Arguments.of(problem.substring(0, problem.indexOf(':')), one(service), problem);
  }

  private static JsonObject kube(JsonObject kubernetes) {
    return new JsonObject().put("discovery", new JsonObject().put("kubernetes", kubernetes));
  }

  private static JsonObject instances(String... urls) {
    JsonArray list = new JsonArray();
    for (String url : urls) {
      list.add(url);
    }
    return new JsonObject().put("instances", list);
  }

  private static JsonObject instance(JsonObject instance) {
    return new JsonObject().put("instances", new JsonArray().add(instance));
  }

  private static JsonObject hash(Object hashOn) {
    return base().put("loadBalancer", "consistent-hash").put("hashOn", hashOn);
  }

  private static JsonObject health(JsonObject healthCheck) {
    return base().put("healthCheck", healthCheck);
  }

  private static JsonObject healthWith(String field, Object value) {
    return health(new JsonObject().put("path", "/health").put(field, value));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badConfigs")
  void everyProblemNamesItsField(String field, JsonObject services, String expected) {
    ServiceRegistry.Result result = ServiceRegistry.build(services);
    assertThat(result.ok()).isFalse();
    assertThat(result.registry()).isNull();
    assertThat(result.problems()).anySatisfy(problem -> assertThat(problem).startsWith(expected));
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    JsonObject services = new JsonObject()
        .put("users", new JsonObject()
            .put("instances", new JsonArray().add("ftp://x").add(new JsonObject().put("url", "http://y:1").put("weight", -3)))
            .put("loadBalancer", "fastest")
            .put("healthCheck", new JsonObject().put("path", "/h").put("interval", "soon")))
        .put("orders", new JsonObject().put("instances", new JsonArray().add("http://o:1")).put("failOpen", 1));
    List<String> problems = ServiceRegistry.build(services).problems();
    assertThat(problems).hasSize(5);
    assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("services.users.instances[0]: bad URL"));
    assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("services.users.instances[1].weight:"));
    assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("services.users.loadBalancer:"));
    assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("services.users.healthCheck.interval:"));
    assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("services.orders.failOpen:"));
  }
}
