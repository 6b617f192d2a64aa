package io.junction.gateway.filter.basic;

import static io.junction.gateway.filter.FilterTestBed.fails;
import static io.junction.gateway.filter.FilterTestBed.failsJson;
import static org.assertj.core.api.Assertions.assertThat;

import io.junction.gateway.filter.FilterTestBed;
import java.net.http.HttpHeaders;
import org.junit.jupiter.api.Test;

class SecureHeadersFilterTest {

  private static HttpHeaders headers(FilterTestBed.Builder builder) {
    try (FilterTestBed bed = builder.start()) {
      return bed.get("/any").headers();
    }
  }

  @Test
  void addsSpringsDefaults() {
    HttpHeaders headers = headers(FilterTestBed.with("SecureHeaders"));
    assertThat(headers.firstValue("X-Xss-Protection")).hasValue("1 ; mode=block");
    assertThat(headers.firstValue("Strict-Transport-Security")).hasValue("max-age=631138519");
    assertThat(headers.firstValue("X-Frame-Options")).hasValue("DENY");
    assertThat(headers.firstValue("X-Content-Type-Options")).hasValue("nosniff");
    assertThat(headers.firstValue("Referrer-Policy")).hasValue("no-referrer");
    assertThat(headers.firstValue("Content-Security-Policy")).hasValue("default-src 'self' https:;"
        + " font-src 'self' https: data:; img-src 'self' https: data:; object-src 'none'; script-src https:;"
        + " style-src 'self' https: 'unsafe-inline'");
    assertThat(headers.firstValue("X-Download-Options")).hasValue("noopen");
    assertThat(headers.firstValue("X-Permitted-Cross-Domain-Policies")).hasValue("none");
    assertThat(headers.firstValue("Permissions-Policy")).isEmpty();
  }

  @Test
  void keepsWhatTheUpstreamAlreadySet() {
    HttpHeaders headers = headers(FilterTestBed.with("SecureHeaders").upstreamHeader("x-frame-options", "SAMEORIGIN"));
    assertThat(headers.allValues("X-Frame-Options")).containsExactly("SAMEORIGIN");
  }

  @Test
  void disableLeavesHeadersOut() {
    HttpHeaders headers = headers(FilterTestBed.withJson("{\"name\":\"SecureHeaders\",\"args\":"
        + "{\"disable\":[\"x-frame-options\",\"Strict-Transport-Security\"]}}"));
    assertThat(headers.firstValue("X-Frame-Options")).isEmpty();
    assertThat(headers.firstValue("Strict-Transport-Security")).isEmpty();
    assertThat(headers.firstValue("X-Content-Type-Options")).hasValue("nosniff");

    HttpHeaders shortcut = headers(FilterTestBed.with("SecureHeaders=x-frame-options, x-xss-protection"));
    assertThat(shortcut.firstValue("X-Frame-Options")).isEmpty();
    assertThat(shortcut.firstValue("X-Xss-Protection")).isEmpty();
    assertThat(shortcut.firstValue("Referrer-Policy")).hasValue("no-referrer");
  }

  @Test
  void valuesCanBeChangedByTheirSpringPropertyNames() {
    HttpHeaders headers = headers(FilterTestBed.withJson("{\"name\":\"SecureHeaders\",\"args\":"
        + "{\"frame-options\":\"SAMEORIGIN\",\"strictTransportSecurity\":\"max-age=60\"}}"));
    assertThat(headers.firstValue("X-Frame-Options")).hasValue("SAMEORIGIN");
    assertThat(headers.firstValue("Strict-Transport-Security")).hasValue("max-age=60");
  }

  @Test
  void permissionsPolicyIsOptIn() {
    HttpHeaders enabled = headers(FilterTestBed.withJson("{\"name\":\"SecureHeaders\",\"args\":"
        + "{\"enable\":\"permissions-policy\"}}"));
    assertThat(enabled.firstValue("Permissions-Policy").orElseThrow()).startsWith("accelerometer=(), ");

    HttpHeaders custom = headers(FilterTestBed.withJson("{\"name\":\"SecureHeaders\",\"args\":"
        + "{\"disable\":\"x-frame-options\",\"enable\":\"permissions-policy\","
        + "\"permissions-policy\":\"geolocation=(\\\"https://anotherexample.org\\\")\"}}"));
    assertThat(custom.firstValue("Permissions-Policy")).hasValue("geolocation=(\"https://anotherexample.org\")");
    assertThat(custom.firstValue("X-Frame-Options")).isEmpty();
  }

  @Test
  void badConfig() {
    fails("SecureHeaders=x-frame-option").hasMessageContaining("argument 'disable': unknown security header"
        + " 'x-frame-option'").hasMessageContaining("x-frame-options");
    failsJson("{\"name\":\"SecureHeaders\",\"args\":{\"enable\":\"x-powered-by\"}}")
        .hasMessageContaining("argument 'enable': unknown security header 'x-powered-by'");
    failsJson("{\"name\":\"SecureHeaders\",\"args\":{\"frameOption\":\"DENY\"}}")
        .hasMessageContaining("unknown argument 'frameOption'");
    failsJson("{\"name\":\"SecureHeaders\",\"args\":{\"frameOptions\":\"DENY\",\"frame-options\":\"SAMEORIGIN\"}}")
        .hasMessageContaining("already given by 'frameOptions'");
  }
}
