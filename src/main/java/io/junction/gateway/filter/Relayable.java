package io.junction.gateway.filter;

/**
 * A filter that also works on the direct relay's exchanges (HTTP/1.1 requests relayed by Netty without a Vert.x
 * request object): it uses only {@link Exchange#inbound()}, the outgoing request, attributes, response hooks and
 * local answers ({@link Exchange#respond}, {@link Exchange#error}), never {@link Exchange#request()} or the body.
 * Routes whose filters all are relayable take the direct relay; the others the Vert.x proxy.
 */
public interface Relayable extends GatewayFilter {
}
