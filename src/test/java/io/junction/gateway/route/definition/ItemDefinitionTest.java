package io.junction.gateway.route.definition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ItemDefinitionTest {

  @Test
  void shortcutSplitsOnTheFirstEqualsThenOnCommas() throws Exception {
    ItemDefinition item = ItemDefinition.parseShortcut("Path=/api/users/**,/x/{id}");
    assertThat(item.name()).isEqualTo("Path");
    assertThat(item.args()).containsExactly(Map.entry("_genkey_0", "/api/users/**"), Map.entry("_genkey_1", "/x/{id}"));
    assertThat(item.hasPositionalArgs()).isTrue();
    assertThat(item.positionalArgs()).containsExactly("/api/users/**", "/x/{id}");
  }

  @Test
  void valuesAreTrimmedAndEmptyOnesDropped() throws Exception {
    ItemDefinition item = ItemDefinition.parseShortcut("  Header = X-Id ,  \\d+ ,, ");
    assertThat(item.name()).isEqualTo("Header");
    assertThat(item.positionalArgs()).containsExactly("X-Id", "\\d+");
  }

  @Test
  void laterEqualsSignsBelongToTheValue() throws Exception {
    ItemDefinition item = ItemDefinition.parseShortcut("Query=q, a=b");
    assertThat(item.positionalArgs()).containsExactly("q", "a=b");
  }

  @Test
  void surroundingQuotesAreStripped() throws Exception {
    ItemDefinition item = ItemDefinition.parseShortcut("XForwardedRemoteAddr=\"20.103.252.85\", '10.0.0.0/8', \"x");
    assertThat(item.positionalArgs()).containsExactly("20.103.252.85", "10.0.0.0/8", "\"x");
  }

  @Test
  void nameWithoutEqualsHasNoArguments() throws Exception {
    ItemDefinition item = ItemDefinition.parseShortcut("PreserveHostHeader");
    assertThat(item.name()).isEqualTo("PreserveHostHeader");
    assertThat(item.args()).isEmpty();
    assertThat(item.hasPositionalArgs()).isFalse();
  }

  @Test
  void shortcutNeedsAName() {
    assertThatThrownBy(() -> ItemDefinition.parseShortcut("=/a")).hasMessageContaining("missing name");
    assertThatThrownBy(() -> ItemDefinition.parseShortcut("  ")).hasMessageContaining("missing name");
  }

  @Test
  void expandedFormKeepsNamedArgumentsInOrder() throws Exception {
    ItemDefinition item = ItemDefinition.parse(new JsonObject()
        .put("name", "RequestRateLimiter")
        .put("args", new JsonObject().put("replenishRate", 100).put("burstCapacity", 200).put("keyResolver", "user")));
    assertThat(item.name()).isEqualTo("RequestRateLimiter");
    assertThat(item.args()).containsExactly(Map.entry("replenishRate", 100), Map.entry("burstCapacity", 200),
        Map.entry("keyResolver", "user"));
    assertThat(item.hasPositionalArgs()).isFalse();
  }

  @Test
  void expandedFormTurnsJsonIntoPlainListsAndMaps() throws Exception {
    ItemDefinition item = ItemDefinition.parse(new JsonObject()
        .put("name", "Path")
        .put("args", new JsonObject().put("patterns", new JsonArray().add("/a").add("/b"))
            .put("nested", new JsonObject().put("k", "v"))));
    assertThat(item.args().get("patterns")).isEqualTo(List.of("/a", "/b"));
    assertThat(item.args().get("nested")).isEqualTo(Map.of("k", "v"));
  }

  @Test
  void expandedGeneratedKeysArePositionalInIndexOrder() throws Exception {
    ItemDefinition item = ItemDefinition.parse(Map.of("name", "Path",
        "args", Map.of("_genkey_1", "/b", "_genkey_0", "/a", "_genkey_10", "/k")));
    assertThat(item.hasPositionalArgs()).isTrue();
    assertThat(item.positionalArgs()).containsExactly("/a", "/b", "/k");
  }

  @Test
  void expandedFormProblems() {
    assertThatThrownBy(() -> ItemDefinition.parse(new JsonObject().put("args", new JsonObject())))
        .hasMessageContaining("missing 'name'");
    assertThatThrownBy(() -> ItemDefinition.parse(new JsonObject().put("name", "Path").put("args", "/a")))
        .hasMessageContaining("'args' must be an object");
    assertThatThrownBy(() -> ItemDefinition.parse(new JsonObject().put("name", "Path").put("patterns", "/a")))
        .hasMessageContaining("unexpected key 'patterns'");
    assertThatThrownBy(() -> ItemDefinition.parse(42)).hasMessageContaining("expected 'Name=args' text");
    assertThatThrownBy(() -> ItemDefinition.parse(null)).isInstanceOf(DefinitionException.class);
  }

  @Test
  void toJsonIsTheExpandedForm() throws Exception {
    JsonObject json = ItemDefinition.parseShortcut("StripPrefix=2").toJson();
    assertThat(json.encode()).isEqualTo("{\"name\":\"StripPrefix\",\"args\":{\"_genkey_0\":\"2\"}}");
  }
}
