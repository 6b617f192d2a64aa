package io.junction.gateway.route.predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.junction.gateway.route.definition.Args;
import io.junction.gateway.route.definition.DefinitionException;
import io.junction.gateway.route.definition.ItemDefinition;
import java.util.List;
import org.junit.jupiter.api.Test;

class PredicateRegistryTest {

  @Test
  void knowsEveryBuiltInPredicate() {
    assertThat(PredicateRegistry.defaults().names()).containsExactlyInAnyOrder("After", "Before", "Between",
        "Cookie", "Header", "Host", "JwtClaim", "Method", "Path", "Query", "RemoteAddr", "Weight",
        "XForwardedRemoteAddr");
  }

  @Test
  void unknownNameListsTheKnownOnes() {
    assertThatThrownBy(() -> PredicateRegistry.defaults().create(ItemDefinition.parseShortcut("Pth=/a")))
        .isInstanceOf(DefinitionException.class)
        .hasMessageContaining("unknown predicate 'Pth'")
        .hasMessageContaining("Path");
  }

  @Test
  void namesAreCaseSensitiveAsInSpring() {
    assertThatThrownBy(() -> PredicateRegistry.defaults().create(ItemDefinition.parseShortcut("path=/a")))
        .hasMessageContaining("unknown predicate 'path'");
  }

  @Test
  void argumentProblemsNameThePredicate() {
    assertThatThrownBy(() -> PredicateRegistry.defaults().create(ItemDefinition.parseShortcut("Header")))
        .hasMessage("Header: missing required argument 'header'");
  }

  @Test
  void customFactoriesCanBeAdded() throws Exception {
    PredicateFactory always = new PredicateFactory() {
      @Override
      public String name() {
        return "Always";
      }

      @Override
      public List<String> shortcutFieldOrder() {
        return List.of();
      }

      @Override
      public RoutePredicate create(Args args) {
        return (request, ctx) -> true;
      }
    };
    PredicateRegistry registry = PredicateRegistry.defaults().with(always);
    assertThat(registry.create(ItemDefinition.parseShortcut("Always")).test(new TestRequest(), new MatchContext()))
        .isTrue();
    assertThat(PredicateRegistry.defaults().get("Always")).isNull();
    assertThatThrownBy(() -> PredicateRegistry.of(List.of(always, always)))
        .hasMessageContaining("two predicate factories named Always");
  }
}
