/**
 * The upstream side of {@code lb://name} routes: services, their instances, load balancing and
 * health (active checks and passive ejection), built from the {@code services} config section.
 *
 * <p>Flow: {@code services} JSON → {@link io.junction.gateway.upstream.ServiceRegistry#build}
 * (validates everything, yields no registry when any problem is found) →
 * {@link io.junction.gateway.upstream.ServiceRegistry#start} (active health checks) → per request
 * {@link io.junction.gateway.upstream.Service#choose} → {@link io.junction.gateway.upstream.Instance#begin}
 * … upstream call … {@link io.junction.gateway.upstream.Instance#end}. A new config builds a new
 * registry (carrying over the health of unchanged instances) and stops the old one. A service with
 * {@code discovery.kubernetes} gets its instances from an {@link io.junction.gateway.upstream.EndpointSliceWatch},
 * which outlives registries: the next registry takes it over when the discovery settings stay the same.
 *
 * <p>The per-request path allocates nothing and takes no lock: a service's instances and balancer are one
 * immutable pool read through a volatile field (replaced whole when discovery changes them), balancers read
 * immutable arrays and move atomic counters; health flags are volatile and written off the hot path.
 */
package io.junction.gateway.upstream;
