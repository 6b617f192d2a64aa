package io.junction.observability;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/** {@code %rctx} in text log patterns: " [request_id trace_id span_id]" while a request is being handled. */
public class RequestContextConverter extends ClassicConverter {
  @Override
  public String convert(ILoggingEvent event) {
    RequestContext rc = RequestContext.current();
    return rc == null ? "" : " [" + rc.requestId() + " " + rc.traceId() + " " + rc.spanId() + "]";
  }
}
