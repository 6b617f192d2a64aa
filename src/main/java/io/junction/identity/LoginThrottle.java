package io.junction.identity;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts failed logins per account and per client address in a fixed window. Once either count reaches its
 * limit, logins for that account or from that address are refused (429 with Retry-After) until the window that
 * began with the first failure ends — before any password is hashed, so a flood costs the attacker, not us.
 * Node-local: behind N nodes an attacker gets at most N times the limit.
 */
final class LoginThrottle {
  private static final class Window {
    final long startedAt = System.nanoTime();
    final AtomicInteger failures = new AtomicInteger();
  }

  private final int maxPerAccount;
  private final int maxPerIp;
  private final Duration window;
  private final Cache<String, Window> accounts;
  private final Cache<String, Window> addresses;

  LoginThrottle(int maxPerAccount, int maxPerIp, Duration window) {
    this.maxPerAccount = maxPerAccount;
    this.maxPerIp = maxPerIp;
    this.window = window;
    this.accounts = Caffeine.newBuilder().expireAfterWrite(window).maximumSize(100_000).build();
    this.addresses = Caffeine.newBuilder().expireAfterWrite(window).maximumSize(100_000).build();
  }

  /** Seconds to wait before trying again, or 0 when this login may be attempted. */
  long retryAfterSeconds(String email, String ip) {
    return Math.max(blockedFor(accounts.getIfPresent(key(email)), maxPerAccount), blockedFor(addresses.getIfPresent(ip), maxPerIp));
  }

  void failed(String email, String ip) {
    accounts.get(key(email), k -> new Window()).failures.incrementAndGet();
    addresses.get(ip, k -> new Window()).failures.incrementAndGet();
  }

  void succeeded(String email) {
    accounts.invalidate(key(email));
  }

  private long blockedFor(Window w, int max) {
    if (w == null || w.failures.get() < max) {
      return 0;
    }
    long leftNanos = w.startedAt + window.toNanos() - System.nanoTime();
    return leftNanos <= 0 ? 0 : Math.max(1, (leftNanos + 999_999_999L) / 1_000_000_000L);
  }

  private static String key(String email) {
    return email.trim().toLowerCase(Locale.ROOT);
  }
}
