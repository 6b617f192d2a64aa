package io.junction.gateway.filter.basic;

import static org.assertj.core.api.Assertions.assertThat;

import io.junction.gateway.filter.FilterFactory;
import io.junction.gateway.filter.FilterRegistry;
import org.junit.jupiter.api.Test;

class BasicFiltersTest {

  @Test
  void everyFilterIsListedOnceUnderItsSpringName() {
    assertThat(BasicFilters.all()).extracting(FilterFactory::name).containsExactlyInAnyOrder(
        "AddRequestHeader", "AddRequestHeadersIfNotPresent", "AddRequestParameter", "AddResponseHeader",
        "SetRequestHeader", "SetResponseHeader", "RemoveRequestHeader", "RemoveResponseHeader",
        "RemoveRequestParameter", "MapRequestHeader", "DedupeResponseHeader", "PreserveHostHeader",
        "SetRequestHostHeader", "StripPrefix", "PrefixPath", "RewritePath", "SetPath", "RedirectTo", "SetStatus",
        "RewriteResponseHeader", "RewriteLocationResponseHeader", "SecureHeaders", "RequestSize",
        "RequestHeaderSize");
    assertThat(FilterRegistry.of(BasicFilters.all()).names()).hasSize(24);
  }
}
