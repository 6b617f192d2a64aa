package io.junction.gateway.filter.web;

import static io.junction.gateway.filter.web.WebTestBed.fails;
import static io.junction.gateway.filter.web.WebTestBed.failsJson;
import static org.assertj.core.api.Assertions.assertThat;

import io.junction.gateway.filter.web.WebTestBed.Reply;
import io.micrometer.core.instrument.FunctionCounter;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class LocalResponseCacheFilterTest {

  @Test
  void secondGetIsAnsweredFromTheCache() {
    try (WebTestBed bed = WebTestBed.with("LocalResponseCache=30m, 1MB")
        .upstream(200, "fresh", "Content-Type", "text/plain", "X-Upstream", "yes").start()) {
      HttpResponse<String> first = bed.get("/items?page=1");
      HttpResponse<String> second = bed.get("/items?page=1");
      assertThat(bed.calls()).isEqualTo(1);
      assertThat(first.body()).isEqualTo("fresh#1");
      assertThat(second.statusCode()).isEqualTo(200);
      assertThat(second.body()).isEqualTo("fresh#1");
      assertThat(second.headers().firstValue("X-Upstream")).hasValue("yes");
      assertThat(second.headers().firstValue("Content-Type")).hasValue("text/plain");
      assertThat(second.headers().firstValue("Content-Length")).hasValue("7");
      assertThat(second.headers().firstValue("Age")).hasValue("0");
      assertThat(first.headers().firstValue("Age")).isEmpty();
    }
  }

  @Test
  void registersCacheMetricsTaggedWithTheRoute() {
    try (WebTestBed bed = WebTestBed.with("LocalResponseCache=30m, 1MB").upstream(200, "fresh").start()) {
      bed.get("/a");
      bed.get("/a");
      bed.get("/a");
      FunctionCounter hits = bed.meters().find("cache.gets").tag("cache", "localResponseCache")
          .tag("route", "test").tag("result", "hit").functionCounter();
      FunctionCounter misses = bed.meters().find("cache.gets").tag("route", "test").tag("result", "miss")
          .functionCounter();
      assertThat(hits.count()).isEqualTo(2.0);
      assertThat(misses.count()).isEqualTo(1.0);
    }
  }

  @Test
  void pathQueryAndCallerTellEntriesApart() {
    try (WebTestBed bed = WebTestBed.with("LocalResponseCache=30m, 1MB").upstream(200, "r").start()) {
      bed.get("/a");
      bed.get("/a?x=1");
      bed.get("/b");
      assertThat(bed.calls()).isEqualTo(3);
      bed.get("/a", "Authorization", "Bearer alice");
      bed.get("/a", "Authorization", "Bearer bob");
      bed.get("/a", "Cookie", "session=1");
      assertThat(bed.calls()).isEqualTo(6);
      assertThat(bed.get("/a", "Authorization", "Bearer alice").body()).isEqualTo("r#4");
      assertThat(bed.get("/a?x=1").body()).isEqualTo("r#2");
      assertThat(bed.calls()).isEqualTo(6);
    }
  }

  @Test
  void entriesExpireAfterTimeToLive() throws InterruptedException {
    try (WebTestBed bed = WebTestBed.with("LocalResponseCache=300ms, 1MB").upstream(200, "r").start()) {
      bed.get("/a");
      bed.get("/a");
      assertThat(bed.calls()).isEqualTo(1);
      Thread.sleep(700);
      assertThat(bed.get("/a").body()).isEqualTo("r#2");
      assertThat(bed.calls()).isEqualTo(2);
    }
  }

  @Test
  void responseMaxAgeShortensTheTimeToLive() throws InterruptedException {
    try (WebTestBed bed = WebTestBed.with("LocalResponseCache=30m, 1MB")
        .upstream(call -> Reply.ok("r#" + call.number()).header("Cache-Control", call.path().equals("/zero")
            ? "max-age=0" : "public, max-age=1")).start()) {
      bed.get("/one");
      assertThat(bed.get("/one").body()).isEqualTo("r#1");
      bed.get("/zero");
      bed.get("/zero");
      assertThat(bed.calls()).isEqualTo(3);
      Thread.sleep(1300);
      assertThat(bed.get("/one").body()).isEqualTo("r#4");
    }
  }

  @Test
  void responsesThatForbidStoringAreNotCached() {
    for (String[] header : new String[][] {{"Cache-Control", "no-store"}, {"Cache-Control", "private, max-age=60"},
        {"Cache-Control", "no-cache"}, {"Set-Cookie", "session=abc"}, {"Vary", "*"}}) {
      try (WebTestBed bed = WebTestBed.with("LocalResponseCache=30m, 1MB")
          .upstream(200, "r", header[0], header[1]).start()) {
        bed.get("/a");
        assertThat(bed.get("/a").body()).as(header[0] + ": " + header[1]).isEqualTo("r#2");
      }
    }
  }

  @Test
  void requestNoCacheGoesUpstreamAndRefreshesTheEntry() {
    try (WebTestBed bed = WebTestBed.with("LocalResponseCache=30m, 1MB").upstream(200, "r").start()) {
      bed.get("/a");
      assertThat(bed.get("/a", "Cache-Control", "no-cache").body()).isEqualTo("r#2");
      assertThat(bed.get("/a").body()).isEqualTo("r#2");
      assertThat(bed.get("/a", "Pragma", "no-cache").body()).isEqualTo("r#3");
      assertThat(bed.get("/a", "Cache-Control", "max-age=0").body()).isEqualTo("r#4");
      assertThat(bed.calls()).isEqualTo(4);
    }
  }

  @Test
  void requestNoStoreGoesUpstreamAndKeepsNothing() {
    try (WebTestBed bed = WebTestBed.with("LocalResponseCache=30m, 1MB").upstream(200, "r").start()) {
      assertThat(bed.get("/a", "Cache-Control", "no-store").body()).isEqualTo("r#1");
      assertThat(bed.get("/a").body()).isEqualTo("r#2");
      assertThat(bed.get("/a").body()).isEqualTo("r#2");
    }
  }

  @Test
  void onlyGetIsCached() {
    try (WebTestBed bed = WebTestBed.with("LocalResponseCache=30m, 1MB").upstream(200, "r").start()) {
      bed.send(bed.request("/a").POST(HttpRequest.BodyPublishers.ofString("x")));
      bed.send(bed.request("/a").POST(HttpRequest.BodyPublishers.ofString("x")));
      assertThat(bed.calls()).isEqualTo(2);
      bed.send(bed.request("/a").method("GET", HttpRequest.BodyPublishers.ofString("a body")));
      assertThat(bed.get("/a").body()).isEqualTo("r#4");
      // the POSTs did not fill the cache for the GET either
      assertThat(bed.get("/a").body()).isEqualTo("r#4");
    }
  }

  @Test
  void onlyStatus200IsCached() {
    for (int status : new int[] {201, 203, 204, 301, 404, 500}) {
      try (WebTestBed bed = WebTestBed.with("LocalResponseCache=30m, 1MB").upstream(status, "r").start()) {
        bed.get("/a");
        bed.get("/a");
        assertThat(bed.calls()).as("status " + status).isEqualTo(2);
      }
    }
  }

  @Test
  void bodiesLargerThanTheEntryCapAreNotCached() {
    String big = "x".repeat(200);
    for (boolean streamed : new boolean[] {false, true}) {
      try (WebTestBed bed = WebTestBed.with("LocalResponseCache=30m, 1KB, 100B")
          .upstream(call -> {
            Reply reply = Reply.ok(call.path().equals("/big") ? big : "small");
            return streamed ? reply.streamed() : reply;
          }).start()) {
        assertThat(bed.get("/big").body()).isEqualTo(big); // the client still gets all of it
        assertThat(bed.get("/big").body()).isEqualTo(big);
        assertThat(bed.calls()).as(streamed ? "streamed" : "with Content-Length").isEqualTo(2);
        bed.get("/small");
        bed.get("/small");
        assertThat(bed.calls()).isEqualTo(3);
      }
    }
  }

  @Test
  void theDefaultEntryCapIsATenthOfTheSize() {
    try (WebTestBed bed = WebTestBed.with("LocalResponseCache=30m, 1000B")
        .upstream(call -> Reply.ok((call.path().equals("/over") ? "x".repeat(101) : "x".repeat(100)))).start()) {
      bed.get("/over");
      bed.get("/over");
      bed.get("/fits");
      bed.get("/fits");
      assertThat(bed.calls()).isEqualTo(3);
    }
  }

  @Test
  void theSizeBoundEvicts() {
    try (WebTestBed bed = WebTestBed.with("LocalResponseCache=30m, 1000B, 600B")
        .upstream(call -> Reply.ok("x".repeat(400))).start()) {
      bed.get("/a");
      bed.get("/b");
      bed.get("/c");
      FunctionCounter evictions = bed.meters().find("cache.evictions").tag("route", "test").functionCounter();
      // the entry is stored once the body has gone out, which can be just after the client has it
      long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
      while (evictions.count() < 2.0 && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      assertThat(evictions.count()).isGreaterThanOrEqualTo(2.0);
      double size = bed.meters().find("cache.size").tag("route", "test").gauge().value();
      assertThat(size).isLessThanOrEqualTo(1.0);
    }
  }

  @Test
  void varyingResponsesAreKeptForTheHeaderValuesTheyWereMadeFor() {
    try (WebTestBed bed = WebTestBed.with("LocalResponseCache=30m, 1MB")
        .upstream(200, "r", "Vary", "Accept-Language").start()) {
      bed.get("/a", "Accept-Language", "en");
      assertThat(bed.get("/a", "Accept-Language", "en").body()).isEqualTo("r#1");
      assertThat(bed.get("/a", "Accept-Language", "de").body()).isEqualTo("r#2");
      assertThat(bed.get("/a").body()).isEqualTo("r#3");
      assertThat(bed.get("/a").body()).isEqualTo("r#3");
    }
  }

  @Test
  void hitsGoThroughTheResponseFiltersBeforeTheCacheOnlyOnce() {
    try (WebTestBed bed = WebTestBed.with("AddResponseHeader=X-Before, b")
        .then("LocalResponseCache=30m, 1MB")
        .then("AddResponseHeader=X-After, a").upstream(200, "r").start()) {
      bed.get("/a");
      HttpResponse<String> hit = bed.get("/a");
      assertThat(bed.calls()).isEqualTo(1);
      assertThat(hit.headers().allValues("X-Before")).containsExactly("b");
      assertThat(hit.headers().allValues("X-After")).containsExactly("a");
    }
  }

  @Test
  void upstreamAgeAddsToTheTimeSpentHere() {
    try (WebTestBed bed = WebTestBed.with("LocalResponseCache=30m, 1MB").upstream(200, "r", "Age", "42").start()) {
      assertThat(bed.get("/a").headers().firstValue("Age")).hasValue("42");
      assertThat(bed.get("/a").headers().allValues("Age")).containsExactly("42");
      assertThat(bed.calls()).isEqualTo(1);
    }
  }

  @Test
  void shortcutAndExpandedFormsBuild() throws Exception {
    assertThat(WebTestBed.create("LocalResponseCache=30m, 500MB").toString())
        .contains("ttl PT30M").contains("size 524288000 bytes").contains("entries up to 52428800");
    assertThat(WebTestBed.create("LocalResponseCache").toString()).contains("ttl PT5M").contains("size 10485760");
    assertThat(WebTestBed.create(new io.vertx.core.json.JsonObject("""
        {"name": "LocalResponseCache", "args": {"timeToLive": "PT10S", "size": 2048, "maxEntrySize": "1KB"}}""")
        ).toString()).contains("ttl PT10S").contains("size 2048").contains("entries up to 1024");
  }

  @Test
  void badConfig() {
    fails("LocalResponseCache=forever").hasMessageContaining("argument 'timeToLive': bad duration 'forever'");
    fails("LocalResponseCache=0s").hasMessageContaining("argument 'timeToLive': must be more than 0");
    fails("LocalResponseCache=5m, ten").hasMessageContaining("argument 'size': bad data size 'ten'");
    fails("LocalResponseCache=5m, 0MB").hasMessageContaining("argument 'size': must be more than 0 bytes");
    fails("LocalResponseCache=5m, 5XB").hasMessageContaining("argument 'size': bad data size '5XB'");
    fails("LocalResponseCache=5m, 1MB, 2MB")
        .hasMessageContaining("argument 'maxEntrySize': must not be larger than size (1048576 bytes)");
    fails("LocalResponseCache=5m, 1MB, 1KB, extra").hasMessageContaining("too many arguments");
    failsJson("""
        {"name": "LocalResponseCache", "args": {"ttl": "5m"}}""").hasMessageContaining("unknown argument 'ttl'");
  }
}
