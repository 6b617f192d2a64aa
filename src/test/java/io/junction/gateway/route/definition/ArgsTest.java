package io.junction.gateway.route.definition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ArgsTest {

  private static Args bind(String shortcut, ShortcutType type, String... fields) throws DefinitionException {
    return Args.bind(ItemDefinition.parseShortcut(shortcut), List.of(fields), type);
  }

  @Test
  void defaultNamesValuesByPosition() throws Exception {
    Args args = bind("Header=X-Id, \\d+", ShortcutType.DEFAULT, "header", "regexp");
    assertThat(args.values()).containsExactly(Map.entry("header", "X-Id"), Map.entry("regexp", "\\d+"));
    assertThat(bind("Header=X-Id", ShortcutType.DEFAULT, "header", "regexp").values())
        .containsExactly(Map.entry("header", "X-Id"));
  }

  @Test
  void defaultRejectsMoreValuesThanFields() {
    assertThatThrownBy(() -> bind("StripPrefix=1, 2", ShortcutType.DEFAULT, "parts"))
        .hasMessageContaining("too many arguments: StripPrefix takes at most 1 [parts] but got 2");
  }

  @Test
  void gatherListPutsEveryValueInTheFirstField() throws Exception {
    assertThat(bind("Method=GET,POST", ShortcutType.GATHER_LIST, "methods").values())
        .containsExactly(Map.entry("methods", List.of("GET", "POST")));
  }

  @Test
  void gatherListTailFlagSplitsOffATrailingBoolean() throws Exception {
    assertThat(bind("Path=/a,/b,false", ShortcutType.GATHER_LIST_TAIL_FLAG, "patterns", "matchTrailingSlash")
        .values()).containsOnly(Map.entry("patterns", List.of("/a", "/b")), Map.entry("matchTrailingSlash", false));
    assertThat(bind("Path=/a,/b", ShortcutType.GATHER_LIST_TAIL_FLAG, "patterns", "matchTrailingSlash").values())
        .containsExactly(Map.entry("patterns", List.of("/a", "/b")));
  }

  @Test
  void namedArgumentsAreKeptAsTheyAre() throws Exception {
    ItemDefinition item = new ItemDefinition("Header", Map.of("header", "X-Id"));
    assertThat(Args.bind(item, List.of("header", "regexp"), ShortcutType.DEFAULT).values())
        .containsExactly(Map.entry("header", "X-Id"));
  }

  @Test
  void rejectsUnknownNames() {
    Args args = Args.of("Header", Map.of("header", "X-Id", "regex", "x"));
    assertThatThrownBy(() -> args.rejectUnknown(List.of("header", "regexp")))
        .hasMessage("unknown argument 'regex' for Header (expected header, regexp)");
  }

  @Test
  void typedGetters() throws Exception {
    Map<String, Object> values = new LinkedHashMap<>();
    values.put("text", "  hi ");
    values.put("blank", " ");
    values.put("number", 3);
    values.put("numberText", "7");
    values.put("flag", "TRUE");
    values.put("list", List.of("a, b", "c"));
    values.put("csv", "x,y");
    values.put("nothing", null);
    Args args = Args.of("Item", values);
    assertThat(args.requiredString("text")).isEqualTo("hi");
    assertThat(args.optionalString("blank")).isNull();
    assertThat(args.optionalString("nothing")).isNull();
    assertThat(args.requiredInteger("number")).isEqualTo(3);
    assertThat(args.requiredInteger("numberText")).isEqualTo(7);
    assertThat(args.integer("absent", 1)).isEqualTo(1);
    assertThat(args.bool("flag", false)).isTrue();
    assertThat(args.bool("absent", true)).isTrue();
    assertThat(args.requiredStringList("list")).containsExactly("a", "b", "c");
    assertThat(args.requiredStringList("csv")).containsExactly("x", "y");
    assertThat(args.has("nothing")).isFalse();
  }

  @Test
  void typedGetterProblems() {
    Args args = Args.of("Item", Map.of("n", "12x", "big", 1L << 40, "frac", 1.5, "list", List.of("a"),
        "re", "(", "flag", "yes"));
    assertThatThrownBy(() -> args.requiredInteger("n")).hasMessage("argument 'n': bad integer '12x'");
    assertThatThrownBy(() -> args.requiredInteger("big")).hasMessageContaining("bad integer");
    assertThatThrownBy(() -> args.requiredInteger("frac")).hasMessageContaining("bad integer '1.5'");
    assertThatThrownBy(() -> args.requiredString("list")).hasMessageContaining("expected a single value");
    assertThatThrownBy(() -> args.requiredRegexp("re")).hasMessageContaining("argument 're': bad regexp '('");
    assertThatThrownBy(() -> args.bool("flag", true)).hasMessageContaining("bad boolean 'yes'");
    assertThatThrownBy(() -> args.requiredString("missing")).hasMessage("missing required argument 'missing'");
    assertThatThrownBy(() -> args.requiredStringList("missing")).hasMessage("missing required argument 'missing'");
  }
}
