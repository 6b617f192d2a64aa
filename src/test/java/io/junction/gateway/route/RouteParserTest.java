package io.junction.gateway.route;

import static org.assertj.core.api.Assertions.assertThat;

import io.junction.gateway.route.definition.ConfigProblem;
import io.junction.gateway.route.definition.ItemDefinition;
import io.junction.gateway.route.definition.RouteDefinition;
import io.junction.gateway.route.definition.RouteParser;
import io.junction.gateway.route.predicate.PredicateRegistry;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** Routes as operators paste them from Spring Cloud Gateway YAML, parsed, validated and compiled. */
class RouteParserTest {

  private static final Set<String> SERVICES = Set.of("user-service", "order_service");

  /** YAML to JSON, as the config module hands it over. */
  private static JsonArray routesYaml(String yaml) {
    Map<String, Object> doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
    return new JsonObject(doc).getJsonObject("gateway").getJsonArray("routes");
  }

  private static RouteLoader.Result load(String yaml) {
    return RouteLoader.load(routesYaml(yaml), SERVICES, PredicateRegistry.defaults());
  }

  // ---- both forms ----

  private static final String DESIGN_EXAMPLE = """
      gateway:
        routes:
          - id: users
            uri: lb://user-service          # or http(s)://host:port
            order: 0
            predicates:
              - Path=/api/users/**
              - Method=GET,POST
            filters:
              - StripPrefix=2
              - name: RequestRateLimiter
                args: { replenishRate: 100, burstCapacity: 200, keyResolver: user }
            metadata: { response-timeout: 2000 }
      """;

  @Test
  void designExampleParses() {
    RouteLoader.Result result = load(DESIGN_EXAMPLE);
    assertThat(result.problems()).isEmpty();
    RouteDefinition users = result.definitions().get(0);
    assertThat(users.id()).isEqualTo("users");
    assertThat(users.uri()).isEqualTo("lb://user-service");
    assertThat(users.order()).isZero();
    assertThat(users.predicates()).extracting(ItemDefinition::name).containsExactly("Path", "Method");
    assertThat(users.predicates().get(1).positionalArgs()).containsExactly("GET", "POST");
    assertThat(users.filters()).extracting(ItemDefinition::name).containsExactly("StripPrefix", "RequestRateLimiter");
    assertThat(users.filters().get(0).args()).containsExactly(Map.entry("_genkey_0", "2"));
    assertThat(users.filters().get(1).args()).containsExactly(Map.entry("replenishRate", 100),
        Map.entry("burstCapacity", 200), Map.entry("keyResolver", "user"));
    assertThat(users.metadata()).containsExactly(Map.entry("response-timeout", 2000));

    Route route = result.table().route("users");
    assertThat(route.serviceName()).isEqualTo("user-service");
    assertThat(route.responseTimeoutMillis()).hasValue(2000);
    assertThat(route.connectTimeoutMillis()).isEmpty();
    assertThat(route.predicates()).hasSize(2);
  }

  @Test
  void springExpandedCookieExample() {
    RouteLoader.Result result = load("""
        gateway:
          routes:
          - id: after_route
            uri: https://example.org
            predicates:
            - name: Cookie
              args:
                name: mycookie
                regexp: mycookievalue
        """);
    assertThat(result.problems()).isEmpty();
    assertThat(result.definitions().get(0).predicates().get(0).args())
        .containsExactly(Map.entry("name", "mycookie"), Map.entry("regexp", "mycookievalue"));
  }

  @Test
  void shortcutAndExpandedFormsBuildTheSamePredicates() {
    RouteLoader.Result result = load("""
        gateway:
          routes:
          - id: shortcut
            uri: http://localhost:9000
            predicates:
            - Path=/red/{segment},/blue/**,false
            - Header=X-Request-Id, \\d+
            - Host=**.somehost.org
            - RemoteAddr=192.168.1.1/24
            - Weight=group1, 8
            - Between=2017-01-20T17:42:47.789-07:00[America/Denver], 2017-01-21T17:42:47.789-07:00[America/Denver]
          - id: expanded
            uri: http://localhost:9000
            predicates:
            - name: Path
              args: { patterns: [ "/red/{segment}", "/blue/**" ], matchTrailingSlash: false }
            - name: Header
              args: { header: X-Request-Id, regexp: '\\d+' }
            - name: Host
              args: { _genkey_0: "**.somehost.org" }
            - name: RemoteAddr
              args: { sources: [ 192.168.1.1/24 ] }
            - name: Weight
              args: { group: group1, weight: 2 }
            - name: Between
              args: { datetime1: "2017-01-20T17:42:47.789-07:00[America/Denver]", datetime2: 1485045767789 }
        """);
    assertThat(result.problems()).isEmpty();
    List<String> shortcut = result.table().route("shortcut").predicates().stream().map(Object::toString).toList();
    List<String> expanded = result.table().route("expanded").predicates().stream().map(Object::toString).toList();
    assertThat(expanded.subList(0, 4)).isEqualTo(shortcut.subList(0, 4));
    assertThat(expanded.get(5)).isEqualTo(shortcut.get(5));
    assertThat(shortcut.get(0)).contains("matchTrailingSlash=false");
    assertThat(result.table().weights().ranges("group1")).containsExactly(0.0, 0.8, 1.0);
  }

  @Test
  void numericIdsAndOrdersFromYamlAreAccepted() {
    RouteLoader.Result result = load("""
        gateway:
          routes:
          - { id: 42, uri: "http://a:1", order: "-5" }
        """);
    assertThat(result.problems()).isEmpty();
    assertThat(result.definitions().get(0).id()).isEqualTo("42");
    assertThat(result.definitions().get(0).order()).isEqualTo(-5);
  }

  @Test
  void noRoutesIsAnEmptyTable() {
    RouteLoader.Result result = RouteLoader.load(null, SERVICES, PredicateRegistry.defaults());
    assertThat(result.ok()).isTrue();
    assertThat(result.table().routes()).isEmpty();
  }

  @Test
  void definitionRoundTripsThroughItsJson() {
    RouteLoader.Result result = load(DESIGN_EXAMPLE);
    JsonArray json = new JsonArray().add(result.definitions().get(0).toJson());
    RouteParser.Result again = RouteParser.parse(json);
    assertThat(again.problems()).isEmpty();
    assertThat(again.routes().get(0)).isEqualTo(result.definitions().get(0));
  }

  // ---- problems ----

  /** The problem at {@code path}, checked to name the route and to say {@code message}. */
  private void assertProblem(RouteLoader.Result result, String path, String routeId, String message) {
    assertThat(result.ok()).isFalse();
    assertThat(result.table()).isNull();
    assertThat(result.problems()).as("problems").anySatisfy(p -> {
      assertThat(p.path()).isEqualTo(path);
      assertThat(p.routeId()).isEqualTo(routeId);
      assertThat(p.message()).contains(message);
    });
  }

  private RouteLoader.Result route(String body) {
    return load("gateway:\n  routes:\n    - " + body.strip().replace("\n", "\n      ") + "\n");
  }

  @Test
  void missingId() {
    assertProblem(route("uri: http://a:1"), "gateway.routes[0].id", null, "route id is required");
  }

  @Test
  void duplicateId() {
    RouteLoader.Result result = load("""
        gateway:
          routes:
          - { id: users, uri: "http://a:1" }
          - { id: users, uri: "http://b:1" }
        """);
    assertProblem(result, "gateway.routes[1].id", "users", "duplicate route id 'users' (also gateway.routes[0])");
    assertThat(result.problems()).hasSize(1);
  }

  @Test
  void missingUri() {
    assertProblem(route("id: r"), "gateway.routes[0].uri", "r", "uri is required");
  }

  @Test
  void badUri() {
    assertProblem(route("{ id: r, uri: 'http://exa mple.org' }"), "gateway.routes[0].uri", "r", "bad uri");
    assertProblem(route("{ id: r, uri: 'ftp://files' }"), "gateway.routes[0].uri", "r",
        "scheme must be one of http, https, lb, forward");
    assertProblem(route("{ id: r, uri: 'example.org' }"), "gateway.routes[0].uri", "r", "scheme must be one of");
    assertProblem(route("{ id: r, uri: 'http:/only-a-path' }"), "gateway.routes[0].uri", "r", "needs a host");
    assertProblem(route("{ id: r, uri: 'lb:/x' }"), "gateway.routes[0].uri", "r", "needs a service name");
  }

  @Test
  void unknownLoadBalancedService() {
    assertProblem(route("{ id: r, uri: 'lb://orders' }"), "gateway.routes[0].uri", "r",
        "unknown service 'orders' in 'lb://orders' (known: order_service, user-service)");
  }

  @Test
  void knownServicesAndOtherSchemesPass() {
    RouteLoader.Result result = load("""
        gateway:
          routes:
          - { id: a, uri: "lb://order_service" }
          - { id: b, uri: "https://example.org" }
          - { id: c, uri: "forward:/local" }
          - { id: d, uri: "LB://user-service" }
        """);
    assertThat(result.problems()).isEmpty();
    assertThat(result.table().route("a").serviceName()).isEqualTo("order_service");
    assertThat(result.table().route("b").serviceName()).isNull();
  }

  @Test
  void unknownPredicate() {
    assertProblem(route("{ id: r, uri: 'http://a:1', predicates: [ 'Paht=/a' ] }"),
        "gateway.routes[0].predicates[0]", "r", "unknown predicate 'Paht'");
  }

  @Test
  void missingRequiredArgument() {
    assertProblem(route("{ id: r, uri: 'http://a:1', predicates: [ 'Path=/a', 'Header' ] }"),
        "gateway.routes[0].predicates[1]", "r", "Header: missing required argument 'header'");
  }

  @Test
  void badRegexp() {
    assertProblem(route("{ id: r, uri: 'http://a:1', predicates: [ 'Query=q, [a-' ] }"),
        "gateway.routes[0].predicates[0]", "r", "bad regexp '[a-'");
  }

  @Test
  void badDate() {
    assertProblem(route("{ id: r, uri: 'http://a:1', predicates: [ 'After=next tuesday' ] }"),
        "gateway.routes[0].predicates[0]", "r", "bad date 'next tuesday'");
  }

  @Test
  void badCidr() {
    assertProblem(route("{ id: r, uri: 'http://a:1', predicates: [ 'RemoteAddr=10.0.0.0/99' ] }"),
        "gateway.routes[0].predicates[0]", "r", "bad CIDR '10.0.0.0/99'");
  }

  @Test
  void badInteger() {
    assertProblem(route("{ id: r, uri: 'http://a:1', predicates: [ 'Weight=g, lots' ] }"),
        "gateway.routes[0].predicates[0]", "r", "bad integer 'lots'");
    assertProblem(route("{ id: r, uri: 'http://a:1', order: first }"), "gateway.routes[0].order", "r",
        "bad integer 'first'");
  }

  @Test
  void badTimeoutsInMetadata() {
    RouteLoader.Result result = route(
        "{ id: r, uri: 'http://a:1', metadata: { response-timeout: 2s, connect-timeout: -1 } }");
    assertProblem(result, "gateway.routes[0].metadata.response-timeout", "r",
        "response-timeout must be a non-negative whole number of milliseconds, not '2s'");
    assertProblem(result, "gateway.routes[0].metadata.connect-timeout", "r", "not '-1'");
    assertProblem(route("{ id: r, uri: 'http://a:1', metadata: { connect-timeout: 1.5 } }"),
        "gateway.routes[0].metadata.connect-timeout", "r", "not '1.5'");
    assertProblem(route("{ id: r, uri: 'http://a:1', metadata: { connect-timeout: null } }"),
        "gateway.routes[0].metadata.connect-timeout", "r", "not 'null'");
  }

  @Test
  void otherMetadataIsFreeForm() {
    RouteLoader.Result result = route("{ id: r, uri: 'http://a:1', metadata: { team: core, response-timeout: '0' } }");
    assertThat(result.problems()).isEmpty();
    assertThat(result.table().route("r").responseTimeoutMillis()).hasValue(0);
  }

  @Test
  void unknownArgumentName() {
    assertProblem(route("{ id: r, uri: 'http://a:1', predicates: [ { name: Header, args: { header: X, regex: y } } ] }"),
        "gateway.routes[0].predicates[0]", "r", "unknown argument 'regex' for Header");
  }

  @Test
  void badShapes() {
    assertProblem(route("{ id: r, uri: 'http://a:1', predicates: 'Path=/a' }"), "gateway.routes[0].predicates",
        "r", "must be a list");
    assertProblem(route("{ id: r, uri: 'http://a:1', filters: [ 42 ] }"), "gateway.routes[0].filters[0]", "r",
        "expected 'Name=args' text");
    assertProblem(route("{ id: r, uri: 'http://a:1', filters: [ { args: {} } ] }"),
        "gateway.routes[0].filters[0]", "r", "missing 'name'");
    assertProblem(route("{ id: r, uri: 'http://a:1', predicates: [ { name: Path, patterns: [ /a ] } ] }"),
        "gateway.routes[0].predicates[0]", "r", "unexpected key 'patterns'");
    assertProblem(route("{ id: r, uri: 'http://a:1', metadata: [ 1 ] }"), "gateway.routes[0].metadata", "r",
        "must be an object");
    RouteLoader.Result notAList = RouteLoader.load(new JsonObject(), SERVICES, PredicateRegistry.defaults());
    assertProblem(notAList, "gateway.routes", null, "must be a list of routes");
    RouteLoader.Result notAnObject = RouteLoader.load(new JsonArray().add("users"), SERVICES,
        PredicateRegistry.defaults());
    assertProblem(notAnObject, "gateway.routes[0]", null, "a route must be an object");
  }

  @Test
  void anUnreadableItemKeepsLaterItemsAtTheirIndex() {
    RouteLoader.Result result = route("{ id: r, uri: 'http://a:1', predicates: [ 42, 'Pth=/a' ] }");
    assertProblem(result, "gateway.routes[0].predicates[0]", "r", "expected 'Name=args' text");
    assertProblem(result, "gateway.routes[0].predicates[1]", "r", "unknown predicate 'Pth'");
    assertThat(result.problems()).hasSize(2);
  }

  @Test
  void everyProblemOfAConfigIsReportedAtOnce() {
    RouteLoader.Result result = load("""
        gateway:
          routes:
          - { uri: "ftp://x", predicates: [ "Nope" ] }
          - { id: b, uri: "lb://ghost", predicates: [ "Method" ], metadata: { response-timeout: soon } }
        """);
    assertThat(result.problems()).extracting(ConfigProblem::path).containsExactlyInAnyOrder(
        "gateway.routes[0].id", "gateway.routes[0].uri", "gateway.routes[0].predicates[0]",
        "gateway.routes[1].uri", "gateway.routes[1].predicates[0]",
        "gateway.routes[1].metadata.response-timeout");
    assertThat(result.problems().get(0).toString()).isEqualTo("gateway.routes[0].id: route id is required");
    assertThat(result.problems()).filteredOn(p -> "b".equals(p.routeId())).hasSize(3);
  }

  @Test
  void customBasePathAndSingleRouteValidation() {
    RouteParser.Result parsed = RouteParser.parseOne(new JsonObject().put("uri", "http://a:1"), "route");
    RouteValidator validator = new RouteValidator(PredicateRegistry.defaults(), SERVICES);
    assertThat(validator.validateRoute(parsed.routes().get(0), "route"))
        .containsExactly(new ConfigProblem("route.id", null, "route id is required"));
  }
}
