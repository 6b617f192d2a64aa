package io.junction.identity;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PasswordsTest {
  private final Passwords passwords = new Passwords(new Passwords.Cost(19456, 2, 1), 12);

  @Test
  void hashesAreArgon2idPhcStringsThatVerifyOnlyTheirPassword() {
    String hash = passwords.hash("correct-horse-battery");
    assertThat(hash).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
    assertThat(passwords.hash("correct-horse-battery")).as("salted").isNotEqualTo(hash);
    assertThat(passwords.verify("correct-horse-battery", hash)).isTrue();
    assertThat(passwords.verify("correct-horse-batterY", hash)).isFalse();
    assertThat(passwords.verify("", hash)).isFalse();
  }

  @Test
  void aHashKeepsItsOwnCostSoRaisingTheCostLaterKeepsOldHashesValid() {
    String cheap = new Passwords(new Passwords.Cost(8192, 1, 1), 12).hash("correct-horse-battery");
    assertThat(passwords.verify("correct-horse-battery", cheap)).isTrue();
  }

  @Test
  void malformedStoredHashesNeverMatchAndNeverThrow() {
    for (String bad : new String[] {"", "plain", "$argon2i$v=19$m=8192,t=1,p=1$c2FsdA$aGFzaA", "$argon2id$v=19$m=x,t=1,p=1$c2FsdA$aGFzaA",
      "$argon2id$v=19$m=8192$c2FsdA$aGFzaA", "$argon2id$v=19$m=8192,t=1,p=1$!!!$aGFzaA", "$2y$12$abcdefghijklmnopqrstuv"}) {
      assertThat(passwords.verify("anything", bad)).as(bad).isFalse();
    }
  }

  @Test
  void unknownAccountsCostAHashToo() {
    long t0 = System.nanoTime();
    assertThat(passwords.verify("whatever-password", null)).isFalse();
    long decoy = System.nanoTime() - t0;
    String hash = passwords.hash("whatever-password");
    t0 = System.nanoTime();
    passwords.verify("wrong-password-xx", hash);
    long real = System.nanoTime() - t0;
    System.out.printf("[measure] argon2id m=19456 t=2 p=1 verify: unknown user %d ms, wrong password %d ms%n", decoy / 1_000_000, real / 1_000_000);
    assertThat(decoy).isGreaterThan(real / 4);
  }

  @Test
  void policyNamesEachProblem() {
    assertThat(passwords.problems("short", "a@b.c")).containsExactly("must be at least 12 characters long");
    assertThat(passwords.problems("Alice@Example.com", "alice@example.com")).containsExactly("must not be the email address");
    assertThat(passwords.problems("              ", "a@b.c")).containsExactly("must not be only whitespace");
    assertThat(passwords.problems("a-long-enough-password", "a@b.c")).isEmpty();
  }
}
