package io.junction.gateway.filter.auth;

import io.junction.gateway.filter.FilterFactory;

import java.util.List;

/** The authentication and authorization filters: JwtAuth, ApiKey, BasicAuth, Require*, JwtClaimHeader. */
public final class AuthFilters {
  private AuthFilters() {
  }

  public static List<FilterFactory> all() {
    return List.of(
      new JwtAuthFilter.Factory(),
      new ApiKeyFilter.Factory(),
      new BasicAuthFilter.Factory(),
      new RequireRolesFilter.Factory(),
      new RequirePermissionsFilter.Factory(),
      new RequireScopesFilter.Factory(),
      new JwtClaimHeaderFilter.Factory());
  }
}
