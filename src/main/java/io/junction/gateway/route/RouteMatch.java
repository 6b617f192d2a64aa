package io.junction.gateway.route;

import java.util.Map;

/**
 * The route chosen for a request and what its predicates captured.
 *
 * @param variables          URI template variables from Path and Host, e.g. {@code segment → "a"}
 * @param matchedPathPattern the Path pattern that matched (for metrics), or null
 */
public record RouteMatch(Route route, Map<String, String> variables, String matchedPathPattern) {
}
