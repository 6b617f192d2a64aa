package io.junction.gateway.filter;

import io.vertx.core.MultiMap;

import java.util.List;

/**
 * The client's request as it arrived, whichever engine serves it (a Vert.x request, or the direct relay's
 * Netty request): read-only. Filters that change what goes upstream use the {@link Exchange}'s outgoing side.
 */
public interface Inbound {
  /** The method as sent (e.g. GET). */
  String method();

  /** The raw query (no '?'), or null. */
  String query();

  /** The request's headers as received (do not change them). */
  MultiMap headers();

  /** The connection peer's IP address, or null when unknown. */
  String remoteHost();

  /** The values of the cookies with this name, in order. */
  List<String> cookies(String name);
}
