package io.junction.identity.view;

import java.util.Base64;

/** Strict base64url without padding, as JWS requires: any other character is an error, never skipped. */
final class Base64Url {
  private Base64Url() {
  }

  static byte[] decode(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
      if (!ok) {
        throw new IllegalArgumentException("not base64url");
      }
    }
    if (text.length() % 4 == 1) {
      throw new IllegalArgumentException("not base64url");
    }
    return Base64.getUrlDecoder().decode(text);
  }

  static String encode(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
