package io.junction.gateway.filter.auth;

import java.util.Map;
import java.util.Set;

/**
 * Who a request was authenticated as, whichever filter did it: JwtAuth ({@code method} "jwt"), ApiKey
 * ("api-key") or BasicAuth ("basic"). RequireRoles, RequirePermissions, RequireScopes and JwtClaimHeader read
 * it from the exchange attribute {@link AuthAttributes#PRINCIPAL}.
 *
 * @param subject the user id (the token's {@code sub}, the API key's user, the Basic user name); may be null
 *                for an external token without {@code sub}
 * @param claims  the token's claims (unmodifiable); for API keys {@code sub} and {@code key_id}; for Basic {@code sub}
 */
public record Principal(String subject, String email, Set<String> roles, Set<String> permissions, Set<String> scopes,
                        Map<String, Object> claims, String method) {
}
