package io.junction.gateway.filter.basic;

import static io.junction.gateway.filter.FilterTestBed.fails;
import static io.junction.gateway.filter.FilterTestBed.failsJson;
import static org.assertj.core.api.Assertions.assertThat;

import io.junction.gateway.filter.FilterTestBed;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RewriteLocationResponseHeaderFilterTest {

  private static Optional<String> location(String filter, String requestPath, String header, String location) {
    try (FilterTestBed bed = FilterTestBed.with(filter).upstreamStatus(201).upstreamHeader(header, location).start()) {
      return bed.get(requestPath).headers().firstValue(header).map(v -> v.replace(bed.hostHeader(), "<client>"));
    }
  }

  @Test
  void defaultsPutTheClientsHostAndDropTheVersionWhenTheRequestHadNone() {
    assertThat(location("RewriteLocationResponseHeader", "/some/object/name", "Location",
        "https://object-service.prod.example.net/v2/some/object/id"))
        .hasValue("https://<client>/some/object/id");
  }

  @Test
  void asInRequestKeepsTheVersionWhenTheRequestHadOne() {
    assertThat(location("RewriteLocationResponseHeader=AS_IN_REQUEST, Location, ,", "/v2/some/object/name",
        "Location", "http://object-service:8080/v2/some/object/id"))
        .hasValue("http://<client>/v2/some/object/id");
  }

  @Test
  void alwaysStripWithAHostValueAndAnotherHeader() {
    assertThat(location("RewriteLocationResponseHeader=ALWAYS_STRIP, Link, example-api.com", "/v1/some/object/name",
        "Link", "https://object-service.prod.example.net/v1/some/object/id"))
        .hasValue("https://example-api.com/some/object/id");
  }

  @Test
  void neverStripOnlyForTheGivenProtocols() {
    String filter = "RewriteLocationResponseHeader=NEVER_STRIP, Location, api.example.com, https|ftps";
    assertThat(location(filter, "/some/object/name", "Location",
        "https://object-service.prod.example.net/v1/some/object/id"))
        .hasValue("https://api.example.com/v1/some/object/id");
    assertThat(location(filter, "/some/other/object/name", "Location",
        "http://object-service.prod.example.net/v1/some/object/id"))
        .hasValue("http://object-service.prod.example.net/v1/some/object/id");
  }

  @Test
  void relativeLocationsAndLocationsWithoutAPathAreLeftAlone() {
    assertThat(location("RewriteLocationResponseHeader", "/a", "Location", "/v2/relative"))
        .hasValue("/v2/relative");
    assertThat(location("RewriteLocationResponseHeader", "/a", "Location", "https://backend:8443"))
        .hasValue("https://backend:8443");
  }

  @Test
  void expandedFormAcceptsStripVersionMode() {
    try (FilterTestBed bed = FilterTestBed.withJson("{\"name\":\"RewriteLocationResponseHeader\",\"args\":"
        + "{\"stripVersionMode\":\"NEVER_STRIP\",\"hostValue\":\"gw.example.com:443\"}}")
        .upstreamHeader("Location", "https://backend/v3/x").start()) {
      assertThat(bed.get("/x").headers().firstValue("Location")).hasValue("https://gw.example.com:443/v3/x");
    }
  }

  @Test
  void badConfig() {
    fails("RewriteLocationResponseHeader=SOMETIMES")
        .hasMessageContaining("argument 'stripVersion': unknown mode 'SOMETIMES'")
        .hasMessageContaining("NEVER_STRIP, AS_IN_REQUEST or ALWAYS_STRIP");
    fails("RewriteLocationResponseHeader=NEVER_STRIP, Location, gw.example.com, http(")
        .hasMessageContaining("argument 'protocols': bad regexp 'http('");
    fails("RewriteLocationResponseHeader=NEVER_STRIP, Location, gw.example.com/path")
        .hasMessageContaining("argument 'hostValue': expected host or host:port");
    failsJson("{\"name\":\"RewriteLocationResponseHeader\",\"args\":"
        + "{\"stripVersion\":\"NEVER_STRIP\",\"stripVersionMode\":\"ALWAYS_STRIP\"}}")
        .hasMessageContaining("not both");
  }
}
