package io.junction.http;

import io.junction.gateway.Gateway;
import io.junction.observability.Metrics;
import io.vertx.ext.healthchecks.HealthChecks;

/** What the HTTP listeners serve, handed over by the app at boot. */
public record HttpWiring(Gateway gateway, Metrics metrics, HealthChecks readiness, HealthChecks liveness) {
}
