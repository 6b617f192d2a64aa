package io.junction.identity;

import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * Argon2id password hashes in the PHC string format ({@code $argon2id$v=19$m=..,t=..,p=..$salt$hash}), so the
 * cost travels with each hash and can be raised later without breaking old ones. Hashing is CPU-heavy by
 * design: callers run it on a worker thread, never on an event loop.
 */
final class Passwords {
  /** Argon2id cost: memory in KiB, passes, lanes. The default is OWASP's 19 MiB, 2 passes, 1 lane. */
  record Cost(int memoryKiB, int iterations, int parallelism) {
  }

  private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
  private static final Base64.Decoder B64D = Base64.getDecoder();
  private static final int SALT_BYTES = 16;
  private static final int HASH_BYTES = 32;

  private final Cost cost;
  private final int minLength;
  private final SecureRandom random = new SecureRandom();
  /** Verified against when the account does not exist, so unknown users cost as much time as wrong passwords. */
  private final String decoy;

  Passwords(Cost cost, int minLength) {
    this.cost = cost;
    this.minLength = minLength;
    this.decoy = hash("decoy-" + random.nextLong());
  }

  /** The policy's problems with a new password, empty when it is acceptable. */
  List<String> problems(String password, String email) {
    List<String> problems = new ArrayList<>();
    if (password.codePointCount(0, password.length()) < minLength) {
      problems.add("must be at least " + minLength + " characters long");
    }
    if (email != null && password.trim().toLowerCase(Locale.ROOT).equals(email.trim().toLowerCase(Locale.ROOT))) {
      problems.add("must not be the email address");
    }
    if (!password.isEmpty() && password.isBlank()) {
      problems.add("must not be only whitespace");
    }
    return problems;
  }

  String hash(String password) {
    byte[] salt = new byte[SALT_BYTES];
    random.nextBytes(salt);
    byte[] out = derive(password, salt, cost, HASH_BYTES);
    return "$argon2id$v=19$m=" + cost.memoryKiB + ",t=" + cost.iterations + ",p=" + cost.parallelism
      + "$" + B64.encodeToString(salt) + "$" + B64.encodeToString(out);
  }

  /** True when {@code password} matches {@code encoded}; false for any malformed hash. Null hash = the decoy. */
  boolean verify(String password, String encoded) {
    if (encoded == null) {
      verifyEncoded(password, decoy);
      return false;
    }
    return verifyEncoded(password, encoded);
  }

  private static boolean verifyEncoded(String password, String encoded) {
    String[] parts = encoded.split("\\$");
    // "", "argon2id", "v=19", "m=..,t=..,p=..", salt, hash
    if (parts.length != 6 || !parts[1].equals("argon2id") || !parts[2].equals("v=19")) {
      return false;
    }
    try {
      Cost cost = parseCost(parts[3]);
      byte[] salt = B64D.decode(parts[4]);
      byte[] expected = B64D.decode(parts[5]);
      byte[] actual = derive(password, salt, cost, expected.length);
      return MessageDigest.isEqual(expected, actual);
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static Cost parseCost(String text) {
    int m = 0, t = 0, p = 0;
    for (String pair : text.split(",")) {
      String[] kv = pair.split("=", 2);
      int value = Integer.parseInt(kv[1]);
      switch (kv[0]) {
        case "m" -> m = value;
        case "t" -> t = value;
        case "p" -> p = value;
        default -> throw new IllegalArgumentException("unknown argon2 parameter " + kv[0]);
      }
    }
    if (m <= 0 || t <= 0 || p <= 0) {
      throw new IllegalArgumentException("incomplete argon2 parameters");
    }
    return new Cost(m, t, p);
  }

  private static byte[] derive(String password, byte[] salt, Cost cost, int length) {
    Argon2Parameters params = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
      .withVersion(Argon2Parameters.ARGON2_VERSION_13)
      .withMemoryAsKB(cost.memoryKiB)
      .withIterations(cost.iterations)
      .withParallelism(cost.parallelism)
      .withSalt(salt)
      .build();
    Argon2BytesGenerator generator = new Argon2BytesGenerator();
    generator.init(params);
    byte[] out = new byte[length];
    generator.generateBytes(password.getBytes(StandardCharsets.UTF_8), out);
    return out;
  }
}
