package io.junction.gateway.route.predicate;

import io.junction.gateway.route.definition.Args;
import io.junction.gateway.route.definition.DefinitionException;
import io.junction.gateway.route.definition.ItemDefinition;
import io.junction.gateway.route.definition.ShortcutType;
import java.util.List;

/**
 * Builds one kind of predicate from its config, as Spring Cloud Gateway's
 * {@code RoutePredicateFactory}: a name, the order in which shortcut values
 * name the arguments, and a {@link #create(Args)} that validates everything
 * up front (regexps compiled, dates and CIDRs parsed).
 */
public interface PredicateFactory {

  /** The name used in config, e.g. {@code Path}. */
  String name();

  /** Argument names in shortcut order, e.g. {@code header, regexp}. */
  List<String> shortcutFieldOrder();

  default ShortcutType shortcutType() {
    return ShortcutType.DEFAULT;
  }

  /** Every argument name accepted in the expanded form; anything else is a config problem. */
  default List<String> argNames() {
    return shortcutFieldOrder();
  }

  RoutePredicate create(Args args) throws DefinitionException;

  /** Names the arguments of {@code definition}, rejects unknown ones and builds the predicate. */
  default RoutePredicate create(ItemDefinition definition) throws DefinitionException {
    Args args = Args.bind(definition, shortcutFieldOrder(), shortcutType());
    args.rejectUnknown(argNames());
    return create(args);
  }
}
