package io.junction.gateway.upstream;

/** One ready address × port of a discovered service, as the EndpointSlices list it. */
record Endpoint(String host, int port) {
}
