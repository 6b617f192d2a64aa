package io.junction.gateway.route.path;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PathNormalizerTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "/                  | /",
      "''                 | /",
      "/api/users         | /api/users",
      "/api/users/        | /api/users/",
      "/a/b/../c          | /a/c",
      "/a/./b             | /a/b",
      "/a/b/..            | /a/",
      "/a/b/.             | /a/b/",
      "/a/..              | /",
      "//a//b//           | /a/b/",
      "//                 | /",
      "/a/%2e%2e/b        | /b",
      "/a/%2E%2e/b        | /b",
      "/a/.%2e/b          | /b",
      "/a/%2e/b           | /a/b",
      "/a%20b/c           | /a b/c",
      "/caf%C3%A9         | /café",
      "/a+b               | /a+b",
      "/a/%252e%252e/b    | /a/%2e%2e/b",
      "/.well-known/jwks  | /.well-known/jwks",
      "/a/...             | /a/...",
      "/a/..b/c           | /a/..b/c",
      "/a;v=1/b           | /a;v=1/b",
  })
  void normalizes(String raw, String expected) {
    assertThat(PathNormalizer.normalize(raw)).isEqualTo(expected);
    assertThat(PathNormalizer.rejectionReason(raw)).isNull();
  }

  @ParameterizedTest(name = "{0} rejected: {1}")
  @CsvSource(delimiter = '|', value = {
      "/..                  | escapes the root",
      "/a/../..             | escapes the root",
      "/%2e%2e/etc/passwd   | escapes the root",
      "/a/%2e%2e/%2e%2e/x   | escapes the root",
      "/a%2Fb               | encoded slash",
      "/a%2fb               | encoded slash",
      "/a\\b                | backslash",
      "/a%5cb               | backslash",
      "/a%00b               | control character",
      "/a%0d%0aX-Evil:1     | control character",
      "/a%zz                | malformed percent-encoding",
      "/a%4                 | malformed percent-encoding",
      "/a%                  | malformed percent-encoding",
      "/a%C3                | not valid UTF-8",
      "/a%FF                | not valid UTF-8",
      "/api/..;/admin       | parameters",
      "/api/.;x/admin       | parameters",
      "api/users            | must start with '/'",
  })
  void rejects(String raw, String reason) {
    assertThat(PathNormalizer.normalize(raw)).isNull();
    assertThat(PathNormalizer.rejectionReason(raw)).contains(reason);
  }

  @Test
  void decodesOnlyOnce() {
    // %2525 is an encoded "%25", which must stay text, not become "%"
    assertThat(PathNormalizer.normalize("/x/%2525")).isEqualTo("/x/%25");
  }

  @Test
  void returnsTheSameStringWhenNothingChanges() {
    String raw = "/api/users/42";
    assertThat(PathNormalizer.normalize(raw)).isSameAs(raw);
  }

  @Test
  void encodesForTheUpstreamSoItDecodesToWhatWasRouted() {
    assertThat(PathNormalizer.encode("/api/users/42")).isEqualTo("/api/users/42");
    assertThat(PathNormalizer.encode("/a b/café")).isEqualTo("/a%20b/caf%C3%A9");
    assertThat(PathNormalizer.encode("/x/%2e%2e")).isEqualTo("/x/%252e%252e");
    assertThat(PathNormalizer.encode("/q?x#y")).isEqualTo("/q%3Fx%23y");
    assertThat(PathNormalizer.encode("/a;b=c/@:~!$&'()*+,")).isEqualTo("/a;b=c/@:~!$&'()*+,");
    String path = "/a b/%/é/😀";
    assertThat(PathNormalizer.normalize(PathNormalizer.encode(path))).isEqualTo(path);
  }
}
