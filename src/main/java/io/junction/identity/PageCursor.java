package io.junction.identity;

import io.junction.http.ApiProblem;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Opaque cursors for keyset pagination: the sort key of the last item, base64url-encoded. */
final class PageCursor {
  private PageCursor() {
  }

  static String encode(String key) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(key.getBytes(StandardCharsets.UTF_8));
  }

  /** The key a cursor carries; a cursor that was not made here is a 400 naming the parameter. */
  static String decode(String cursor) {
    try {
      return new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw ApiProblem.invalid("query", "cursor", "is not a cursor returned by this API");
    }
  }
}
