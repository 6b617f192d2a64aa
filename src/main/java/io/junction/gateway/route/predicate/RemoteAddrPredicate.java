package io.junction.gateway.route.predicate;

import io.junction.gateway.route.definition.Args;
import io.junction.gateway.route.definition.DefinitionException;
import io.junction.gateway.route.definition.ShortcutType;
import io.junction.gateway.route.net.CidrBlock;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code RemoteAddr=192.168.1.1/24,2001:db8::/32}: the connection's peer
 * address lies in one of the blocks. Behind a proxy that is the proxy; use
 * {@link XForwardedRemoteAddrPredicate} to look at the client instead.
 */
public final class RemoteAddrPredicate implements RoutePredicate {

  private final CidrBlock[] sources;

  public RemoteAddrPredicate(List<CidrBlock> sources) {
    this.sources = sources.toArray(CidrBlock[]::new);
  }

  @Override
  public boolean test(RouteRequest request, MatchContext ctx) {
    return anyContains(sources, request.remoteAddress());
  }

  static boolean anyContains(CidrBlock[] blocks, InetAddress address) {
    if (address == null) {
      return false;
    }
    for (CidrBlock block : blocks) {
      if (block.contains(address)) {
        return true;
      }
    }
    return false;
  }

  /** Parses the {@code sources} argument, shared with XForwardedRemoteAddr. */
  static List<CidrBlock> sources(Args args) throws DefinitionException {
    List<CidrBlock> blocks = new ArrayList<>();
    for (String text : args.requiredStringList("sources")) {
      try {
        blocks.add(CidrBlock.parse(text));
      } catch (IllegalArgumentException e) {
        throw args.bad("sources", e.getMessage());
      }
    }
    return blocks;
  }

  @Override
  public String toString() {
    return "RemoteAddr" + List.of(sources);
  }

  public static final class Factory implements PredicateFactory {

    @Override
    public String name() {
      return "RemoteAddr";
    }

    @Override
    public List<String> shortcutFieldOrder() {
      return List.of("sources");
    }

    @Override
    public ShortcutType shortcutType() {
      return ShortcutType.GATHER_LIST;
    }

    @Override
    public RoutePredicate create(Args args) throws DefinitionException {
      return new RemoteAddrPredicate(sources(args));
    }
  }
}
