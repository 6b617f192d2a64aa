package io.junction.gateway.proxy;

import io.junction.gateway.filter.Exchange;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;

/** The client response as a pipe destination that also hands every chunk to the exchange's body tap. */
final class TappedResponse implements WriteStream<Buffer> {
  private final WriteStream<Buffer> out;
  private final Exchange.BodyTap tap;

  TappedResponse(WriteStream<Buffer> out, Exchange.BodyTap tap) {
    this.out = out;
    this.tap = tap;
  }

  @Override
  public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
    out.exceptionHandler(handler);
    return this;
  }

  @Override
  public Future<Void> write(Buffer data) {
    tap.chunk(data);
    return out.write(data);
  }

  @Override
  public Future<Void> end() {
    return out.end().andThen(ar -> tap.end(ar.succeeded()));
  }

  @Override
  public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
    out.setWriteQueueMaxSize(maxSize);
    return this;
  }

  @Override
  public boolean writeQueueFull() {
    return out.writeQueueFull();
  }

  @Override
  public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
    out.drainHandler(handler);
    return this;
  }
}
