package io.junction.observability;

import ch.qos.logback.classic.spi.ILoggingEvent;
import com.fasterxml.jackson.core.JsonGenerator;
import net.logstash.logback.composite.AbstractJsonProvider;

import java.io.IOException;

/** Adds request_id, trace_id, span_id and (when known) user_id to JSON log lines written while a request is being handled. */
public class RequestContextJsonProvider extends AbstractJsonProvider<ILoggingEvent> {
  @Override
  public void writeTo(JsonGenerator generator, ILoggingEvent event) throws IOException {
    RequestContext rc = RequestContext.current();
    if (rc != null) {
      generator.writeStringField("request_id", rc.requestId());
      generator.writeStringField("trace_id", rc.traceId());
      generator.writeStringField("span_id", rc.spanId());
      String user = RequestContext.currentUser();
      if (user != null) {
        generator.writeStringField("user_id", user);
      }
    }
  }
}
