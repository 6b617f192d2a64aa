package io.junction.observability;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TraceparentTest {
  static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";

  @Test
  void validHeadersGiveTheirTraceIdAndFlag() {
    assertThat(Traceparent.traceId("00-" + TRACE + "-00f067aa0ba902b7-01")).isEqualTo(TRACE);
    assertThat(Traceparent.sampled("00-" + TRACE + "-00f067aa0ba902b7-01")).isTrue();
    assertThat(Traceparent.sampled("00-" + TRACE + "-00f067aa0ba902b7-00")).isFalse();
    assertThat(Traceparent.sampled("00-" + TRACE + "-00f067aa0ba902b7-03")).isTrue(); // other flag bits ignored
    assertThat(Traceparent.sampled("00-" + TRACE + "-00f067aa0ba902b7-02")).isFalse();
  }

  @Test
  void malformedHeadersAreRefused() {
    for (String bad : new String[] {null, "", "garbage", "00-" + TRACE + "-00f067aa0ba902b7-0", "00-" + TRACE + "-00f067aa0ba902b7-011",
      "ff-" + TRACE + "-00f067aa0ba902b7-01", "00-" + TRACE.toUpperCase() + "-00f067aa0ba902b7-01",
      "00-00000000000000000000000000000000-00f067aa0ba902b7-01", "00-" + TRACE + "-0000000000000000-01",
      "00_" + TRACE + "-00f067aa0ba902b7-01", "00-" + TRACE + "-00f067aa0ba902b7-0g", "0g-" + TRACE + "-00f067aa0ba902b7-01"}) {
      assertThat(Traceparent.traceId(bad)).as(String.valueOf(bad)).isNull();
      assertThat(Traceparent.sampled(bad)).as(String.valueOf(bad)).isFalse();
    }
  }

  @Test
  void newIdsAreLowerHexOfTheRightLengthAndFormatRoundTrips() {
    for (int i = 0; i < 1000; i++) {
      String trace = Traceparent.newTraceId();
      String span = Traceparent.newSpanId();
      assertThat(trace).matches("[0-9a-f]{32}").isNotEqualTo("0".repeat(32));
      assertThat(span).matches("[0-9a-f]{16}").isNotEqualTo("0".repeat(16));
      assertThat(Traceparent.traceId(Traceparent.format(trace, span, false))).isEqualTo(trace);
      assertThat(Traceparent.sampled(Traceparent.format(trace, span, false))).isFalse();
      assertThat(Traceparent.sampled(Traceparent.format(trace, span))).isTrue();
    }
  }
}
