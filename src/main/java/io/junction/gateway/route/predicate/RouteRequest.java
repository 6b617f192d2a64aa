package io.junction.gateway.route.predicate;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;

/**
 * What predicates may look at in a request. The HTTP layer implements it over
 * its own request type; tests implement it directly. Keeping predicates off
 * Vert.x types keeps them pure and their tests fast.
 */
public interface RouteRequest {

  /** The method in upper case, e.g. {@code GET}. */
  String method();

  /** The path after {@code PathNormalizer.normalize}: decoded, no dot segments, at least {@code /}. */
  String path();

  /** The Host header as sent (may include a port), or null. */
  String host();

  /** The first value of a header, ignoring the name's case; null when absent. */
  String header(String name);

  /** Every value of a header, ignoring the name's case, one per header line; empty when absent. */
  List<String> headers(String name);

  /** Every value of a query parameter ({@code ?a} gives one empty value); empty when absent. */
  List<String> queryParams(String name);

  /** Values of every cookie with this name; empty when absent. */
  List<String> cookies(String name);

  /** The peer address of the connection, or null when unknown. */
  InetAddress remoteAddress();

  /** Claims of the verified JWT, or null when the request carries none. */
  Map<String, Object> claims();
}
