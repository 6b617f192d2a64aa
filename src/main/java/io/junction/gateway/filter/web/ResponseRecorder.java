package io.junction.gateway.filter.web;

import com.github.benmanes.caffeine.cache.Cache;
import io.junction.gateway.filter.Exchange;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One cache miss on its way to the client. Just before the head goes out ({@link #decide}) it judges whether the
 * response may be stored: status 200; no {@code no-store}, {@code private} or {@code no-cache} in Cache-Control;
 * no Set-Cookie (one caller's session must not reach another); no {@code Vary: *}; a body that fits the entry
 * cap. While the body streams it copies the chunks, and once the whole body has reached the client it stores
 * the entry. A body that outgrows the cap, or a relay that breaks off, stores nothing.
 */
final class ResponseRecorder implements Exchange.BodyTap {

  /** Framing, per-connection and per-request headers: the cached answer gets its own. */
  private static final Set<String> NOT_STORED = Set.of("content-length", "transfer-encoding", "connection",
      "keep-alive", "age", "x-request-id");

  private final CacheKey key;
  private final long routeTtlNanos;
  private final long maxEntryBytes;
  private final Cache<CacheKey, CachedResponse> cache;

  private boolean cacheable;
  private boolean done;
  private Buffer body;
  private long expectedLength;
  private int status;
  private List<Map.Entry<String, String>> headers;
  private List<String> varyNames;
  private List<String> varyValues;
  private long storedAtNanos;
  private long upstreamAge;
  private long ttlNanos;

  ResponseRecorder(CacheKey key, long routeTtlNanos, long maxEntryBytes, Cache<CacheKey, CachedResponse> cache) {
    this.key = key;
    this.routeTtlNanos = routeTtlNanos;
    this.maxEntryBytes = maxEntryBytes;
    this.cache = cache;
  }

  /** The beforeResponse hook: status and headers are final as far as the cache is concerned. */
  void decide(Exchange exchange) {
    cacheable = false;
    if (exchange.responseStatus() != 200) {
      return;
    }
    MultiMap h = exchange.responseHeaders();
    CacheControl cc = CacheControl.of(h);
    if (cc.noStore() || cc.isPrivate() || cc.noCache() || h.contains("Set-Cookie")) {
      return;
    }
    List<String> vary = varyNames(h);
    if (vary == null) {
      return;
    }
    long fresh = cc.freshSeconds();
    long ttl = fresh < 0 ? routeTtlNanos : Math.min(routeTtlNanos, secondsToNanos(fresh));
    if (ttl <= 0) {
      return;
    }
    String length = h.get("Content-Length");
    expectedLength = -1;
    if (length != null) {
      try {
        expectedLength = Long.parseLong(length.trim());
      } catch (NumberFormatException e) {
        return;
      }
      if (expectedLength > maxEntryBytes) {
        return;
      }
    }
    List<Map.Entry<String, String>> kept = new ArrayList<>(h.size());
    for (Map.Entry<String, String> header : h) {
      if (!NOT_STORED.contains(header.getKey().toLowerCase(Locale.ROOT))) {
        kept.add(new AbstractMap.SimpleImmutableEntry<>(header.getKey(), header.getValue()));
      }
    }
    List<String> values = new ArrayList<>(vary.size());
    for (String name : vary) {
      values.add(CacheKey.joined(exchange.request().headers(), name));
    }
    upstreamAge = age(h.get("Age"));
    status = exchange.responseStatus();
    headers = List.copyOf(kept);
    varyNames = vary;
    varyValues = values;
    ttlNanos = ttl;
    storedAtNanos = System.nanoTime();
    body = Buffer.buffer((int) Math.max(64, Math.min(expectedLength, 64 * 1024)));
    cacheable = true;
  }

  @Override
  public void chunk(Buffer chunk) {
    if (!cacheable || body == null) {
      return;
    }
    if (body.length() + (long) chunk.length() > maxEntryBytes) {
      body = null; // too big to keep: give up, the client still gets it all
      return;
    }
    body.appendBuffer(chunk); // copies the bytes: the tap must not keep the chunk
  }

  @Override
  public void end(boolean complete) {
    if (done) {
      return;
    }
    done = true;
    if (!complete || !cacheable || body == null || expectedLength >= 0 && body.length() != expectedLength) {
      body = null;
      return;
    }
    Buffer exact = body.length() == 0 ? Buffer.buffer() : Buffer.buffer(body.getBytes());
    body = null;
    long weight = (long) exact.length() + key.weight() + 64;
    for (Map.Entry<String, String> header : headers) {
      weight += header.getKey().length() + header.getValue().length() + 16;
    }
    cache.put(key, new CachedResponse(status, headers, exact, varyNames, varyValues, storedAtNanos, upstreamAge,
        ttlNanos, (int) Math.min(Integer.MAX_VALUE, weight)));
  }

  /** The names in Vary, or null for {@code Vary: *} (never the same twice: not cacheable). */
  private static List<String> varyNames(MultiMap headers) {
    List<String> names = List.of();
    for (String line : headers.getAll("Vary")) {
      for (String name : line.split(",")) {
        String n = name.trim();
        if (n.equals("*")) {
          return null;
        }
        if (!n.isEmpty()) {
          if (names.isEmpty()) {
            names = new ArrayList<>(2);
          }
          names.add(n);
        }
      }
    }
    return names.isEmpty() ? names : List.copyOf(names);
  }

  private static long age(String value) {
    if (value == null) {
      return 0;
    }
    try {
      return Math.max(0, Long.parseLong(value.trim()));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static long secondsToNanos(long seconds) {
    return seconds > Long.MAX_VALUE / 1_000_000_000L ? Long.MAX_VALUE : seconds * 1_000_000_000L;
  }
}
