package io.junction.gateway.filter.auth;

import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * htpasswd users with bcrypt hashes ({@code name:$2y$10$...}; {@code $2a$} and {@code $2b$} too). Other hash
 * kinds (MD5 apr1, SHA1, crypt, plain) are refused at config time: they are too weak to accept.
 */
final class Htpasswd {
  private static final Pattern BCRYPT = Pattern.compile("^\\$2[aby]\\$(0[4-9]|[12][0-9]|3[01])\\$[./A-Za-z0-9]{53}$");
  /** Checked when the user is unknown, so a wrong name costs as much time as a wrong password. */
  private static final String DUMMY = "$2y$10$" + "abcdefghijklmnopqrstuu" + "0123456789abcdefghijklmnopqrstu";

  private final Map<String, String> hashes;

  private Htpasswd(Map<String, String> hashes) {
    this.hashes = Map.copyOf(hashes);
  }

  /** Parses lines; throws IllegalArgumentException naming the first bad line (never its hash). */
  static Htpasswd parse(List<String> lines, String source) {
    Map<String, String> out = new LinkedHashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).trim();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int colon = line.indexOf(':');
      String where = source + " line " + (i + 1);
      if (colon <= 0) {
        throw new IllegalArgumentException(where + ": expected name:bcrypt-hash");
      }
      String name = line.substring(0, colon);
      String hash = line.substring(colon + 1);
      if (!BCRYPT.matcher(hash).matches()) {
        throw new IllegalArgumentException(where + " (user " + name + "): not a bcrypt hash ($2y$, $2a$ or $2b$; create one with htpasswd -B)");
      }
      if (out.put(name, hash) != null) {
        throw new IllegalArgumentException(where + ": user " + name + " is listed twice");
      }
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException(source + " lists no users");
    }
    return new Htpasswd(out);
  }

  int size() {
    return hashes.size();
  }

  /** Slow on purpose (bcrypt): call it off the event loop. */
  boolean check(String user, String password) {
    String hash = hashes.get(user);
    char[] chars = password.toCharArray();
    try {
      boolean ok = OpenBSDBCrypt.checkPassword(hash == null ? DUMMY : normalise(hash), chars);
      return hash != null && ok;
    } catch (RuntimeException e) {
      return false;
    } finally {
      java.util.Arrays.fill(chars, '\0');
    }
  }

  /** $2y$ (PHP, Apache) and $2b$ are the same algorithm as $2a$ for the passwords they accept. */
  private static String normalise(String hash) {
    return hash.startsWith("$2y$") || hash.startsWith("$2b$") ? "$2a$" + hash.substring(4) : hash;
  }
}
