package io.junction.gateway;

import io.junction.config.YamlReader;
import io.junction.gateway.filter.FilterContext;
import io.junction.gateway.filter.FilterRegistry;
import io.junction.gateway.proxy.ProxyHandler;
import io.junction.gateway.proxy.RegistryServices;
import io.junction.gateway.route.RouteLoader;
import io.junction.gateway.route.predicate.PredicateRegistry;
import io.junction.gateway.upstream.ServiceRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/**
 * docs/gateway.md stays true to the code: every built-in predicate and filter has its own heading, no heading
 * names one that does not exist, and every YAML example is accepted by the validators the gateway itself runs
 * (routes, filters with their arguments, default filters, httpclient, services).
 */
class GatewayDocsTest {
  private static final Pattern HEADING = Pattern.compile("^(#{2,3}) (.*)$", Pattern.MULTILINE);
  private static final Pattern NAME_HEADING = Pattern.compile("^### `([A-Za-z]+)`$");

  private static String doc;
  private static Vertx vertx;
  private static MeterRegistry meters;

  @BeforeAll
  static void setUp() throws IOException {
    doc = Files.readString(Path.of(System.getProperty("basedir", "")).resolve("docs/gateway.md").toAbsolutePath());
    vertx = Vertx.vertx();
    meters = new SimpleMeterRegistry();
  }

  @AfterAll
  static void tearDown() {
    if (vertx != null) {
      vertx.close().toCompletionStage().toCompletableFuture().join();
    }
  }

  @Test
  void everyPredicateHasItsOwnHeading() {
    assertThat(PredicateRegistry.defaults().names()).isNotEmpty().allSatisfy(name ->
      assertThat(hasHeading(name)).as("a heading with `%s` in docs/gateway.md", name).isTrue());
  }

  @Test
  void everyFilterHasItsOwnHeading() {
    assertThat(FilterRegistry.defaults().names()).isNotEmpty().allSatisfy(name ->
      assertThat(hasHeading(name)).as("a heading with `%s` in docs/gateway.md", name).isTrue());
  }

  @Test
  void predicateAndFilterHeadingsNameOnlyWhatExists() {
    Map<String, List<String>> bySection = nameHeadingsBySection();
    assertThat(bySection.get("Predicates")).as("predicate headings")
      .isNotEmpty().isSubsetOf(PredicateRegistry.defaults().names());
    assertThat(bySection.get("Filters")).as("filter headings")
      .isNotEmpty().isSubsetOf(FilterRegistry.defaults().names());
  }

  @TestFactory
  Stream<DynamicTest> everyYamlExampleIsValid() {
    List<Block> blocks = yamlBlocks();
    assertThat(blocks).hasSizeGreaterThan(10);
    return blocks.stream().map(block -> DynamicTest.dynamicTest("yaml block at line " + block.line(), () -> check(block)));
  }

  private static void check(Block block) {
    String where = "docs/gateway.md:" + block.line();
    assertThatCode(() -> new Yaml(new SafeConstructor(new LoaderOptions())).load(block.text()))
      .as("%s parses as YAML", where).doesNotThrowAnyException();
    JsonObject json = YamlReader.read(block.text(), where);
    assertThat(json.containsKey("gateway") || json.containsKey("services"))
      .as("%s has a top-level gateway or services key, so that it can be checked", where).isTrue();

    JsonObject services = json.getJsonObject("services");
    ServiceRegistry registry = null;
    if (services != null) {
      ServiceRegistry.Result built = ServiceRegistry.build(services);
      assertThat(built.problems()).as("%s: services problems", where).isEmpty();
      registry = built.registry();
    }
    JsonObject gateway = json.getJsonObject("gateway");
    if (gateway != null) {
      Set<String> serviceNames = services == null ? Set.of() : services.fieldNames();
      RouteLoader.Result routes = RouteLoader.load(gateway.getValue("routes"), serviceNames, PredicateRegistry.defaults());
      assertThat(routes.problems()).as("%s: route problems", where).isEmpty();
      // the whole section as the gateway builds it: default-filters, httpclient, and every filter's arguments
      GatewayBuilder.Result result = new GatewayBuilder().build(gateway, serviceNames,
        registry == null ? null : new RegistryServices(registry),
        routeId -> new FilterContext(vertx, meters, routeId, null, ProxyHandler.FORWARDER));
      assertThat(result.problems()).as("%s: gateway problems", where).isEmpty();
      assertThat(result.snapshot()).isNotNull();
    }
  }

  private static boolean hasHeading(String name) {
    Matcher m = HEADING.matcher(doc);
    while (m.find()) {
      if (m.group(2).contains("`" + name + "`")) {
        return true;
      }
    }
    return false;
  }

  /** The {@code ### `Name`} headings under each {@code ## Section}. */
  private static Map<String, List<String>> nameHeadingsBySection() {
    Map<String, List<String>> out = new LinkedHashMap<>();
    String section = "";
    Matcher m = HEADING.matcher(doc);
    while (m.find()) {
      if (m.group(1).length() == 2) {
        section = m.group(2).trim();
        out.putIfAbsent(section, new ArrayList<>());
        continue;
      }
      Matcher name = NAME_HEADING.matcher(m.group(0).trim());
      if (name.matches()) {
        out.computeIfAbsent(section, s -> new ArrayList<>()).add(name.group(1));
      }
    }
    return out;
  }

  private record Block(int line, String text) {
  }

  /** The ```yaml fenced blocks, with the line of their opening fence. */
  private static List<Block> yamlBlocks() {
    List<Block> blocks = new ArrayList<>();
    String[] lines = doc.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      if (!lines[i].trim().equals("```yaml")) {
        continue;
      }
      int start = i + 1;
      StringBuilder text = new StringBuilder();
      int j = start;
      while (j < lines.length && !lines[j].trim().equals("```")) {
        text.append(lines[j]).append('\n');
        j++;
      }
      assertThat(j).as("the yaml block at line %d is closed", start).isLessThan(lines.length);
      blocks.add(new Block(start, text.toString()));
      i = j;
    }
    return blocks;
  }
}
