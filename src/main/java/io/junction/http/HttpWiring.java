package io.junction.http;

import io.junction.gateway.Gateway;
import io.junction.observability.Metrics;
import io.vertx.ext.healthchecks.HealthChecks;

import java.util.List;

/**
 * What the HTTP listeners serve, handed over by the app at boot: the gateway, metrics and health, the admin
 * API operations of every module (bound to openapi/junction-admin.yaml), the public /auth operations (bound
 * to openapi/junction-auth.yaml), the admin authenticator and the audit of mutating admin requests.
 */
public record HttpWiring(Gateway gateway, Metrics metrics, HealthChecks readiness, HealthChecks liveness,
                         List<AdminApi> adminApis, AdminApi authApi, AdminAuth adminAuth, AdminAudit adminAudit) {

  /** Without auditing of admin requests (tests of the HTTP module alone). */
  public HttpWiring(Gateway gateway, Metrics metrics, HealthChecks readiness, HealthChecks liveness,
                    List<AdminApi> adminApis, AdminApi authApi, AdminAuth adminAuth) {
    this(gateway, metrics, readiness, liveness, adminApis, authApi, adminAuth, AdminAudit.NONE);
  }

  /** The same wiring, with admin requests audited by {@code audit}. */
  public HttpWiring audited(AdminAudit audit) {
    return new HttpWiring(gateway, metrics, readiness, liveness, adminApis, authApi, adminAuth, audit);
  }
}
