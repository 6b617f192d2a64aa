package io.junction.gateway.upstream;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One upstream address of a service, with the live state the balancers read: the active health
 * flag, the number of requests in flight, and passive ejection after consecutive failures.
 *
 * <p>The proxy calls {@link #begin()} before and {@link #end(boolean)} after every upstream call,
 * exactly once each. All methods are thread-safe and allocation-free.
 */
public final class Instance {
  private static final Logger LOG = LoggerFactory.getLogger(Instance.class);

  private final String service;
  private final String id;
  private final String scheme;
  private final String host;
  private final int port;
  private final boolean ssl;
  private final int weight;
  private final String authority;
  private final PassiveCheck passive;
  private final LongSupplier nanoClock;

  /** Written by the active health checker only. */
  private volatile boolean healthy = true;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger consecutiveFailures = new AtomicInteger();
  /** {@code System.nanoTime()}-style deadline of a passive ejection; 0 when not ejected. */
  private final AtomicLong ejectedUntil = new AtomicLong();

  Instance(String service, String scheme, String host, int port, int weight, PassiveCheck passive,
      LongSupplier nanoClock) {
    this.service = service;
    this.scheme = scheme;
    this.host = host;
    this.port = port;
    this.ssl = scheme.equals("https");
    this.weight = weight;
    this.passive = passive;
    this.nanoClock = nanoClock;
    String hostInUri = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    this.id = scheme + "://" + hostInUri + ":" + port;
    boolean defaultPort = port == (ssl ? 443 : 80);
    this.authority = defaultPort ? hostInUri : hostInUri + ":" + port;
  }

  /** Normalized URL, {@code scheme://host:port}: the instance's identity across config reloads. */
  public String id() {
    return id;
  }

  public String service() {
    return service;
  }

  /** {@code http} or {@code https}. */
  public String scheme() {
    return scheme;
  }

  /** Host name or IP literal, without IPv6 brackets (as {@code RequestOptions.setHost} wants it). */
  public String host() {
    return host;
  }

  public int port() {
    return port;
  }

  public boolean ssl() {
    return ssl;
  }

  /** {@code host[:port]} as a Host header would carry it (port left out when it is the default). */
  public String authority() {
    return authority;
  }

  public int weight() {
    return weight;
  }

  /** The active health check's verdict (true until a check says otherwise). */
  public boolean healthy() {
    return healthy;
  }

  void healthy(boolean healthy) {
    this.healthy = healthy;
  }

  /** Requests currently in flight to this instance (between {@link #begin()} and {@link #end}). */
  public int inFlight() {
    return inFlight.get();
  }

  public int consecutiveFailures() {
    return consecutiveFailures.get();
  }

  /** True while passively ejected. */
  public boolean ejected() {
    long until = ejectedUntil.get();
    return until != 0 && nanoClock.getAsLong() - until < 0;
  }

  /**
   * Whether balancers may pick it: healthy and not ejected. An ejection that has run out is
   * cleared here, so recovery needs no timer.
   */
  public boolean available() {
    if (!healthy) {
      return false;
    }
    long until = ejectedUntil.get();
    if (until == 0) {
      return true;
    }
    if (nanoClock.getAsLong() - until < 0) {
      return false;
    }
    if (ejectedUntil.compareAndSet(until, 0)) {
      LOG.info("upstream {} instance {} back in rotation after passive ejection", service, id);
    }
    return true;
  }

  /** Call before each upstream request to this instance. */
  public void begin() {
    inFlight.incrementAndGet();
  }

  /**
   * Call once after each upstream request begun with {@link #begin()}.
   *
   * @param success false when the call failed in a way that says the instance is in trouble
   *                (connect error, reset, timeout, 502/503/504 — the caller decides); {@code
   *                passive.consecutiveFailures} such failures in a row eject it for {@code
   *                passive.ejectFor}
   */
  public void end(boolean success) {
    inFlight.decrementAndGet();
    if (success) {
      if (consecutiveFailures.get() != 0) { // read first: no write to a shared line on the common path
        consecutiveFailures.set(0);
      }
      return;
    }
    int failures = consecutiveFailures.incrementAndGet();
    if (passive == null || failures < passive.consecutiveFailures()) {
      return;
    }
    long current = ejectedUntil.get();
    long now = nanoClock.getAsLong();
    if (current == 0 || now - current >= 0) { // not ejected, or an ejection that has run out
      long until = now + passive.ejectForNanos();
      if (ejectedUntil.compareAndSet(current, until == 0 ? 1 : until)) {
        consecutiveFailures.set(0); // after recovery it takes a fresh run of failures
        LOG.warn("upstream {} instance {} ejected for {} ms after {} consecutive failures",
            service, id, passive.ejectForNanos() / 1_000_000, failures);
      }
    }
  }

  /** Takes over the live state of the same instance in a previous registry. */
  void inherit(Instance previous, boolean health, boolean passiveState) {
    if (health) {
      this.healthy = previous.healthy;
    }
    if (passiveState) {
      this.consecutiveFailures.set(previous.consecutiveFailures.get());
      this.ejectedUntil.set(previous.ejectedUntil.get());
    }
  }

  @Override
  public String toString() {
    return id;
  }
}
