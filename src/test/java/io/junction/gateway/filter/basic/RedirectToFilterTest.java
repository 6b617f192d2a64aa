package io.junction.gateway.filter.basic;

import static io.junction.gateway.filter.FilterTestBed.fails;
import static org.assertj.core.api.Assertions.assertThat;

import io.junction.gateway.filter.FilterTestBed;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class RedirectToFilterTest {

  @Test
  void answersWithTheStatusAndLocationWithoutCallingTheUpstream() {
    try (FilterTestBed bed = FilterTestBed.with("RedirectTo=302, https://acme.org").start()) {
      HttpResponse<String> response = bed.get("/any?skip=10");
      assertThat(response.statusCode()).isEqualTo(302);
      assertThat(response.headers().firstValue("Location")).hasValue("https://acme.org");
      assertThat(response.body()).isEmpty();
      assertThat(bed.outgoing()).isNull();
    }
  }

  @Test
  void includeRequestParamsAppendsTheQuery() {
    try (FilterTestBed bed = FilterTestBed.with("RedirectTo=302, https://acme.org, true").start()) {
      assertThat(bed.get("/any?skip=10").headers().firstValue("Location")).hasValue("https://acme.org?skip=10");
      assertThat(bed.get("/any").headers().firstValue("Location")).hasValue("https://acme.org");
    }
  }

  @Test
  void includeRequestParamsMergesWithTheUrlsQueryBeforeItsFragment() {
    try (FilterTestBed bed = FilterTestBed.with("RedirectTo=307, https://acme.org/p?a=1#top, true").start()) {
      HttpResponse<String> response = bed.get("/any?skip=10&q=a%20b");
      assertThat(response.statusCode()).isEqualTo(307);
      assertThat(response.headers().firstValue("Location")).hasValue("https://acme.org/p?a=1&skip=10&q=a%20b#top");
    }
  }

  @Test
  void statusMayBeAName() {
    try (FilterTestBed bed = FilterTestBed.with("RedirectTo=MOVED_PERMANENTLY, /new-home").start()) {
      HttpResponse<String> response = bed.get("/any");
      assertThat(response.statusCode()).isEqualTo(301);
      assertThat(response.headers().firstValue("Location")).hasValue("/new-home");
    }
  }

  @Test
  void badConfig() {
    fails("RedirectTo=200, https://acme.org")
        .hasMessageContaining("argument 'status': must be a 3xx redirect status such as 301 or 302, not 200");
    fails("RedirectTo=NOT_FOUND, https://acme.org").hasMessageContaining("must be a 3xx redirect status");
    fails("RedirectTo=soon, https://acme.org").hasMessageContaining("argument 'status': unknown status 'soon'");
    fails("RedirectTo=302").hasMessageContaining("missing required argument 'url'");
    fails("RedirectTo").hasMessageContaining("missing required argument 'status'");
    fails("RedirectTo=302, https://acme.org/a b").hasMessageContaining("argument 'url': bad URL 'https://acme.org/a b'");
    fails("RedirectTo=302, https://acme.org, yes").hasMessageContaining("argument 'includeRequestParams': bad boolean");
  }
}
