package io.junction.gateway.filter.basic;

import static io.junction.gateway.filter.FilterTestBed.fails;
import static org.assertj.core.api.Assertions.assertThat;

import io.junction.gateway.filter.FilterTestBed;
import org.junit.jupiter.api.Test;

class PrefixPathFilterTest {

  @Test
  void springExample() {
    try (FilterTestBed bed = FilterTestBed.with("PrefixPath=/mypath").start()) {
      bed.get("/hello?x=1");
      assertThat(bed.outgoing().path()).isEqualTo("/mypath/hello");
      assertThat(bed.outgoing().query()).isEqualTo("x=1");
    }
  }

  @Test
  void aTrailingSlashOfThePrefixDoesNotDoubleTheSlash() {
    try (FilterTestBed bed = FilterTestBed.with("PrefixPath=/mypath/").start()) {
      bed.get("/hello");
      assertThat(bed.outgoing().path()).isEqualTo("/mypath/hello");
    }
  }

  @Test
  void prefixUsesUriVariables() {
    try (FilterTestBed bed = FilterTestBed.with("PrefixPath=/tenants/{tenant}")
        .predicate("Path=/{tenant}/orders").start()) {
      bed.get("/acme/orders");
      assertThat(bed.outgoing().path()).isEqualTo("/tenants/acme/acme/orders");
    }
  }

  @Test
  void badConfig() {
    fails("PrefixPath").hasMessageContaining("missing required argument 'prefix'");
    fails("PrefixPath=mypath").hasMessageContaining("argument 'prefix': must start with '/', e.g. /mypath");
    fails("PrefixPath=/a?b=c").hasMessageContaining("without '?' or '#'");
  }
}
