package io.junction.gateway.route.predicate;

import io.junction.gateway.route.definition.Args;
import io.junction.gateway.route.definition.DefinitionException;
import io.junction.gateway.route.definition.ShortcutType;
import io.junction.gateway.route.net.CidrBlock;
import io.junction.gateway.route.net.IpAddresses;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code XForwardedRemoteAddr=192.168.1.1/24}: like RemoteAddr, but the
 * address is taken from X-Forwarded-For, trusting {@code maxTrustedIndex}
 * proxies (default 1), with Spring's rules:
 * <ul>
 *   <li>the header's comma-separated values are read right to left; the value
 *   at position {@code maxTrustedIndex} from the right is used (1 = the
 *   right-most, written by the proxy in front of us); with fewer values the
 *   left-most is used;</li>
 *   <li>with no header, or with several X-Forwarded-For header lines (which
 *   cannot be trusted to be in order), the connection's peer address is used.</li>
 * </ul>
 * Unlike Spring, the value is parsed as an IP literal only (never resolved
 * through DNS); anything else does not match.
 */
public final class XForwardedRemoteAddrPredicate implements RoutePredicate {

  public static final String X_FORWARDED_FOR = "X-Forwarded-For";

  private final CidrBlock[] sources;
  private final int maxTrustedIndex;

  public XForwardedRemoteAddrPredicate(List<CidrBlock> sources, int maxTrustedIndex) {
    if (maxTrustedIndex < 1) {
      throw new IllegalArgumentException("maxTrustedIndex must be at least 1");
    }
    this.sources = sources.toArray(CidrBlock[]::new);
    this.maxTrustedIndex = maxTrustedIndex;
  }

  @Override
  public boolean test(RouteRequest request, MatchContext ctx) {
    return RemoteAddrPredicate.anyContains(sources, clientAddress(request));
  }

  /** The address to check, following the rules above. */
  InetAddress clientAddress(RouteRequest request) {
    List<String> lines = request.headers(X_FORWARDED_FOR);
    if (lines.size() != 1) {
      return request.remoteAddress();
    }
    List<String> values = new ArrayList<>();
    for (String value : lines.get(0).split(",")) {
      if (!value.isBlank()) {
        values.add(value.trim());
      }
    }
    if (values.isEmpty()) {
      return request.remoteAddress();
    }
    int index = Math.max(0, values.size() - maxTrustedIndex);
    return IpAddresses.parseClient(values.get(index));
  }

  @Override
  public String toString() {
    return "XForwardedRemoteAddr" + List.of(sources) + " maxTrustedIndex=" + maxTrustedIndex;
  }

  public static final class Factory implements PredicateFactory {

    @Override
    public String name() {
      return "XForwardedRemoteAddr";
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
    public List<String> argNames() {
      return List.of("sources", "maxTrustedIndex");
    }

    @Override
    public RoutePredicate create(Args args) throws DefinitionException {
      int maxTrustedIndex = args.integer("maxTrustedIndex", 1);
      if (maxTrustedIndex < 1) {
        throw args.bad("maxTrustedIndex", "must be at least 1 but is " + maxTrustedIndex);
      }
      return new XForwardedRemoteAddrPredicate(RemoteAddrPredicate.sources(args), maxTrustedIndex);
    }
  }
}
