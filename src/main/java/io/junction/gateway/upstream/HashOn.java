package io.junction.gateway.upstream;

/**
 * Where a consistent-hash service takes its key from; the proxy reads it from the request and
 * passes it to {@link Service#choose(String)}.
 *
 * @param source header, cookie or client ip
 * @param name   the header or cookie name; null for {@link Source#IP}
 */
public record HashOn(Source source, String name) {
  public enum Source { HEADER, COOKIE, IP }
}
