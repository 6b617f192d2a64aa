package io.junction.gateway.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.junction.gateway.route.definition.ItemDefinition;
import io.junction.gateway.route.definition.RouteDefinition;
import io.junction.gateway.route.predicate.PredicateRegistry;
import io.junction.gateway.route.predicate.TestRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RouteTableTest {

  private static RouteDefinition route(String id, int order, String... predicates) {
    List<ItemDefinition> items = new ArrayList<>();
    for (String predicate : predicates) {
      try {
        items.add(ItemDefinition.parseShortcut(predicate));
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    }
    return new RouteDefinition(id, "http://upstream:8080", order, items, List.of(), Map.of());
  }

  private static RouteTable table(RouteDefinition... routes) throws Exception {
    return RouteTable.compile(List.of(routes), PredicateRegistry.defaults());
  }

  @Test
  void firstMatchingRouteWinsInOrderThenConfigOrder() throws Exception {
    RouteTable table = table(
        route("catch-all", 100, "Path=/**"),
        route("users-a", 0, "Path=/api/users/**"),
        route("users-b", 0, "Path=/api/users/**"),
        route("first", -1, "Path=/api/users/admin"));
    assertThat(table.routes()).extracting(Route::id).containsExactly("first", "users-a", "users-b", "catch-all");
    assertThat(table.find(TestRequest.get("/api/users/1"), 0).route().id()).isEqualTo("users-a");
    assertThat(table.find(TestRequest.get("/api/users/admin"), 0).route().id()).isEqualTo("first");
    assertThat(table.find(TestRequest.get("/other"), 0).route().id()).isEqualTo("catch-all");
  }

  @Test
  void allPredicatesMustMatch() throws Exception {
    RouteTable table = table(route("writes", 0, "Path=/api/**", "Method=POST,PUT"));
    assertThat(table.find(TestRequest.get("/api/x").method("POST"), 0)).isNotNull();
    assertThat(table.find(TestRequest.get("/api/x").method("GET"), 0)).isNull();
  }

  @Test
  void routeWithoutPredicatesTakesEverything() throws Exception {
    assertThat(table(route("all", 0)).find(TestRequest.get("/anything"), 0).route().id()).isEqualTo("all");
  }

  @Test
  void variablesComeOnlyFromTheChosenRoute() throws Exception {
    RouteTable table = table(
        route("posts", 0, "Path=/items/{postId}", "Method=POST"),
        route("reads", 1, "Path=/items/{itemId}"));
    RouteMatch match = table.find(TestRequest.get("/items/5"), 0);
    assertThat(match.route().id()).isEqualTo("reads");
    assertThat(match.variables()).containsExactly(Map.entry("itemId", "5"));
    assertThat(match.matchedPathPattern()).isEqualTo("/items/{itemId}");
  }

  @Test
  void weightGroupsSplitBetweenRoutesByTheDraw() throws Exception {
    RouteTable table = table(
        route("weight_high", 0, "Path=/**", "Weight=group1, 8"),
        route("weight_low", 0, "Path=/**", "Weight=group1, 2"));
    assertThat(table.find(TestRequest.get("/"), 0.0).route().id()).isEqualTo("weight_high");
    assertThat(table.find(TestRequest.get("/"), 0.79).route().id()).isEqualTo("weight_high");
    assertThat(table.find(TestRequest.get("/"), 0.8).route().id()).isEqualTo("weight_low");
    assertThat(table.find(TestRequest.get("/"), 0.99).route().id()).isEqualTo("weight_low");
    assertThat(table.find(TestRequest.get("/"))).isNotNull();
  }

  @Test
  void weightSlicesFollowConfigOrderNotRouteOrder() throws Exception {
    RouteTable table = table(
        route("b", 5, "Weight=g, 1"),
        route("a", 1, "Weight=g, 1"));
    assertThat(table.routes()).extracting(Route::id).containsExactly("a", "b");
    assertThat(table.find(TestRequest.get("/"), 0.25).route().id()).isEqualTo("b");
    assertThat(table.find(TestRequest.get("/"), 0.75).route().id()).isEqualTo("a");
  }

  @Test
  void lookupById() throws Exception {
    RouteTable table = table(route("a", 0));
    assertThat(table.route("a").uri()).hasToString("http://upstream:8080");
    assertThat(table.route("missing")).isNull();
    assertThat(RouteTable.EMPTY.find(TestRequest.get("/"), 0)).isNull();
  }

  @Test
  void duplicateIdsAreRejected() {
    assertThatThrownBy(() -> table(route("a", 0), route("a", 1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("duplicate route id a");
  }
}
