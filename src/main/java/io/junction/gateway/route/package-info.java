/**
 * Routes, Spring Cloud Gateway compatible, as pure code (no I/O, no Vert.x HTTP).
 *
 * <p>Flow: {@code gateway.routes} JSON → {@link io.junction.gateway.route.definition.RouteParser}
 * (shape) → {@link io.junction.gateway.route.RouteValidator} (meaning) →
 * {@link io.junction.gateway.route.RouteTable} (compiled, immutable);
 * {@link io.junction.gateway.route.RouteLoader} does all three and yields no table when
 * any {@link io.junction.gateway.route.definition.ConfigProblem} is found, so the caller
 * keeps its last good table. Per request: raw path →
 * {@link io.junction.gateway.route.path.PathNormalizer} (400 when rejected) → a
 * {@link io.junction.gateway.route.predicate.RouteRequest} →
 * {@link io.junction.gateway.route.RouteTable#find} → {@link io.junction.gateway.route.RouteMatch}.
 *
 * <p>Packages depend downwards only: {@code route} → {@code predicate} → {@code definition},
 * {@code path}, {@code net}.
 */
package io.junction.gateway.route;
