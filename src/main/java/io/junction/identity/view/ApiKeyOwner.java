package io.junction.identity.view;

import java.util.Set;

/**
 * Who an API key belongs to and what it may do now: the key's roles and the permissions they grant in the
 * current identity snapshot.
 *
 * @param expiresAt epoch milliseconds, or null for a key that does not expire
 */
public record ApiKeyOwner(String keyId, String userId, Set<String> roles, Set<String> permissions, Long expiresAt) {
}
