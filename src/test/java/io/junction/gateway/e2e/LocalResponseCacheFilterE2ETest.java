package io.junction.gateway.e2e;

import io.junction.testkit.JunctionTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicInteger;

import static io.junction.gateway.e2e.E2E.get;
import static io.junction.gateway.e2e.ProbeUpstream.rh;
import static org.assertj.core.api.Assertions.assertThat;

/** LocalResponseCache through a running Junction: what is served from memory, and what always goes upstream. */
class LocalResponseCacheFilterE2ETest {
  static final AtomicInteger UNIQUE = new AtomicInteger();
  static ProbeUpstream upstream;
  static JunctionTestKit kit;

  @BeforeAll
  static void start() throws Exception {
    upstream = new ProbeUpstream();
    kit = JunctionTestKit.builder().yaml("""
      gateway:
        routes:
          - id: shortcut
            uri: %1$s
            predicates: [ "Path=/cached/**" ]
            filters: [ "LocalResponseCache=30s, 1MB" ]
          - id: expanded
            uri: %1$s
            predicates: [ "Path=/short/**" ]
            filters:
              - name: LocalResponseCache
                args: { timeToLive: 2s, size: 10KB, maxEntrySize: 2KB }
      """.formatted(upstream.url())).start();
  }

  @AfterAll
  static void stop() throws Exception {
    kit.close();
    upstream.close();
  }

  /** A path no other test has used, so every test starts from an empty cache entry. */
  private static String fresh(String prefix) {
    return prefix + "/n" + UNIQUE.incrementAndGet();
  }

  /** How many of these GETs reached the upstream. */
  private static int upstreamCalls(Runnable requests) {
    int before = upstream.requests();
    requests.run();
    return upstream.requests() - before;
  }

  @Test
  void aRepeatedGetIsServedFromTheCache() {
    String path = fresh("/cached") + "?q=1";
    HttpResponse<String>[] r = new HttpResponse[2];
    assertThat(upstreamCalls(() -> {
      r[0] = get(kit, path);
      r[1] = get(kit, path);
    })).isEqualTo(1);
    assertThat(r[1].statusCode()).isEqualTo(200);
    assertThat(r[1].body()).isEqualTo(r[0].body());
    assertThat(r[1].headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(r[1].headers().firstValue("Age")).isPresent();
    assertThat(upstreamCalls(() -> get(kit, path.replace("q=1", "q=2")))).as("another query").isEqualTo(1);
  }

  @Test
  void aHitCarriesTheCurrentRequestsIdOnly() {
    String path = fresh("/cached");
    HttpResponse<String> miss = get(kit, path, "X-Request-Id", "first-caller");
    HttpResponse<String> hit = get(kit, path, "X-Request-Id", "second-caller");
    assertThat(miss.headers().allValues("X-Request-Id")).containsExactly("first-caller");
    assertThat(hit.headers().allValues("X-Request-Id")).as("never the id of the request that filled the cache")
      .containsExactly("second-caller");
  }

  @Test
  void callersWithDifferentCredentialsNeverShareAnEntry() {
    String path = fresh("/cached");
    assertThat(upstreamCalls(() -> {
      get(kit, path, "Authorization", "Bearer alice");
      get(kit, path, "Authorization", "Bearer bob");
      get(kit, path, "Cookie", "session=carol");
    })).isEqualTo(3);
  }

  @Test
  void theClientCanAskForAFreshAnswer() {
    String path = fresh("/cached");
    assertThat(upstreamCalls(() -> {
      get(kit, path);
      get(kit, path, "Cache-Control", "no-cache");
      get(kit, path, "Cache-Control", "no-store");
    })).isEqualTo(3);
  }

  @Test
  void responsesThatMustNotBeStoredAreNot() {
    for (String query : new String[] {rh("Cache-Control", "no-store"), rh("Cache-Control", "private"),
      rh("Set-Cookie", "s=1"), "status=404", rh("Vary", "*")}) {
      String path = fresh("/cached") + "?" + query;
      assertThat(upstreamCalls(() -> {
        get(kit, path);
        get(kit, path);
      })).as(query).isEqualTo(2);
    }
  }

  @Test
  void onlyGetIsCached() {
    String path = fresh("/cached");
    assertThat(upstreamCalls(() -> {
      for (int i = 0; i < 2; i++) {
        JunctionTestKit.send(HttpRequest.newBuilder(kit.publicUri(path)).POST(HttpRequest.BodyPublishers.ofString("x")).build());
      }
    })).isEqualTo(2);
  }

  @Test
  void varyIsHonoured() {
    String path = fresh("/cached") + "?" + rh("Vary", "Accept-Language");
    assertThat(upstreamCalls(() -> {
      get(kit, path, "Accept-Language", "en");
      get(kit, path, "Accept-Language", "en");
      get(kit, path, "Accept-Language", "fr");
    })).isEqualTo(2);
  }

  @Test
  void entriesExpireAtTheTimeToLiveOrTheUpstreamsMaxAge() throws InterruptedException {
    String shortTtl = fresh("/short");
    String maxAge = fresh("/cached") + "?" + rh("Cache-Control", "max-age=2");
    assertThat(upstreamCalls(() -> {
      get(kit, shortTtl);
      get(kit, shortTtl);
      get(kit, maxAge);
      get(kit, maxAge);
    })).isEqualTo(2);
    Thread.sleep(2200);
    assertThat(upstreamCalls(() -> {
      get(kit, shortTtl);
      get(kit, maxAge);
    })).isEqualTo(2);
  }

  @Test
  void expandedFormBodiesOverMaxEntrySizeAreNotKept() {
    String path = fresh("/short") + "?pad=" + "p".repeat(3000);
    assertThat(upstreamCalls(() -> {
      get(kit, path);
      get(kit, path);
    })).isEqualTo(2);
  }
}
