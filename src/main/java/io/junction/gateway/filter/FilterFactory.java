package io.junction.gateway.filter;

import io.junction.gateway.route.definition.Args;
import io.junction.gateway.route.definition.DefinitionException;
import io.junction.gateway.route.definition.ItemDefinition;
import io.junction.gateway.route.definition.ShortcutType;

import java.util.List;

/**
 * Builds one kind of filter from its config, as Spring Cloud Gateway's GatewayFilterFactory: a name, the
 * order in which shortcut values name the arguments, and a {@link #create(Args, FilterContext)} that checks
 * every argument up front (bad args are config errors naming the route and the filter, never runtime 500s).
 */
public interface FilterFactory {

  /** The name used in config, e.g. {@code StripPrefix}. */
  String name();

  /** Argument names in shortcut order, e.g. {@code name, value}. */
  List<String> shortcutFieldOrder();

  default ShortcutType shortcutType() {
    return ShortcutType.DEFAULT;
  }

  /** Every argument name accepted in the expanded form; anything else is a config problem. */
  default List<String> argNames() {
    return shortcutFieldOrder();
  }

  GatewayFilter create(Args args, FilterContext context) throws DefinitionException;

  /** Names the arguments of {@code definition}, rejects unknown ones and builds the filter. */
  default GatewayFilter create(ItemDefinition definition, FilterContext context) throws DefinitionException {
    Args args = Args.bind(definition, shortcutFieldOrder(), shortcutType());
    args.rejectUnknown(argNames());
    return create(args, context);
  }
}
