package io.junction.gateway.proxy;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;

import io.vertx.core.internal.ContextInternal;

import java.util.ArrayDeque;

/**
 * Sits in one HTTP/1.x client connection's Netty pipeline, just before Vert.x's handler. A request its
 * {@link DirectRelays} can serve (plain HTTP/1.1 to a route whose filters are all {@link
 * io.junction.gateway.filter.Relayable}) is relayed here, on Netty's objects, without a Vert.x request; every
 * other request passes on to Vert.x untouched. Responses leave in request order: while one side is answering,
 * a pipelined request for the other side waits.
 */
final class DirectRelay extends ChannelDuplexHandler {
  private final DirectRelays relays;
  private final ContextInternal context;
  private ChannelHandlerContext ctx;
  /** The relayed request in progress (its body may still be arriving, or its response going out). */
  private RelayCall current;
  /** Requests given to Vert.x whose responses have not ended. */
  private int atVertx;
  /** The request being given to Vert.x has more body to come. */
  private boolean toVertx;
  /** Status of the response Vert.x is writing. */
  private int vertxStatus;
  /** After a protocol switch (WebSocket, h2c) everything belongs to Vert.x. */
  private boolean passThrough;
  /** Messages read while the other side still owes a response (pipelining). */
  private ArrayDeque<Object> held;
  /** A close asked for by Vert.x (graceful shutdown) while a relayed response was in flight. */
  private ChannelPromise deferredClose;
  /** Client's address, read once per connection. */
  private String clientHost;
  /** This hop's forwarding headers (client, scheme, port), built once per connection. */
  private ForwardHeaders.Hop hop;

  DirectRelay(DirectRelays relays, ContextInternal context) {
    this.relays = relays;
    this.context = context;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    boolean ssl = ctx.pipeline().get(io.netty.handler.ssl.SslHandler.class) != null;
    if (ctx.channel().remoteAddress() instanceof java.net.InetSocketAddress peer && peer.getAddress() != null) {
      clientHost = peer.getAddress().getHostAddress();
    }
    int localPort = ctx.channel().localAddress() instanceof java.net.InetSocketAddress local ? local.getPort() : -1;
    hop = new ForwardHeaders.Hop(clientHost, ssl, localPort);
  }

  ChannelHandlerContext ctx() {
    return ctx;
  }

  String clientHost() {
    return clientHost;
  }

  ForwardHeaders.Hop hop() {
    return hop;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (held != null && !held.isEmpty()) {
      hold(msg); // something read earlier is still waiting: keep the order
    } else {
      dispatch(msg);
    }
  }

  private void dispatch(Object msg) {
    if (passThrough) {
      ctx.fireChannelRead(msg);
    } else if (toVertx) {
      toVertx = !(msg instanceof LastHttpContent);
      ctx.fireChannelRead(msg);
    } else if (msg instanceof HttpContent content && current != null && !current.requestEnded()) {
      current.requestContent(content);
    } else if (msg instanceof HttpRequest request) {
      if (current != null || atVertx > 0) {
        hold(msg); // pipelined behind a request still being answered
        return;
      }
      RelayCall call = relays.start(this, request, context);
      if (call == null) {
        giveToVertx(request);
      } else {
        current = call;
        call.run();
      }
    } else {
      ctx.fireChannelRead(msg);
    }
  }

  private void giveToVertx(HttpRequest request) {
    atVertx++;
    if (request.headers().contains("Upgrade")) {
      passThrough = true; // WebSocket or h2c: the connection may change protocol
    }
    toVertx = !(request instanceof LastHttpContent);
    ctx.fireChannelRead(request);
  }

  private void hold(Object msg) {
    if (held == null) {
      held = new ArrayDeque<>(4);
    }
    held.add(msg);
    ctx.channel().config().setAutoRead(false);
  }

  /** The relayed request is over (response sent, body read): the next request may go. */
  void finished(RelayCall call, boolean close) {
    if (current != call) {
      return;
    }
    current = null;
    if (close || deferredClose != null) {
      ChannelPromise promise = deferredClose;
      deferredClose = null;
      releaseHeld();
      if (promise != null) {
        ctx.close(promise);
      } else {
        ctx.close();
      }
      return;
    }
    if (held == null || held.isEmpty()) {
      // the call may have paused reads for back-pressure: the next request must be read
      ctx.channel().config().setAutoRead(true);
    } else {
      replayHeld();
    }
  }

  private void replayHeld() {
    if (held == null) {
      return;
    }
    // later, not inside the write that ended the response: keeps the stack flat under deep pipelines
    ctx.executor().execute(() -> {
      while (held != null && !held.isEmpty() && ctx.channel().isActive()) {
        if (held.peek() instanceof HttpRequest && (current != null || atVertx > 0)) {
          return; // its turn comes when the request before it is answered
        }
        dispatch(held.poll());
      }
      if (ctx.channel().isActive() && (current == null || !current.readsPaused())) {
        ctx.channel().config().setAutoRead(true);
        ctx.read();
      }
    });
  }

  private void releaseHeld() {
    if (held != null) {
      Object msg;
      while ((msg = held.poll()) != null) {
        io.netty.util.ReferenceCountUtil.release(msg);
      }
    }
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    // only Vert.x's writes pass here (the relay writes from this handler's context, below it)
    if (msg instanceof HttpResponse response) {
      vertxStatus = response.status().code();
    }
    boolean ended = msg instanceof LastHttpContent && vertxStatus >= 200 && atVertx > 0;
    ctx.write(msg, promise);
    if (ended && --atVertx == 0 && current == null) {
      replayHeld();
    }
  }

  @Override
  public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
    if (current != null && deferredClose == null && ctx.channel().isActive()) {
      deferredClose = promise; // Vert.x's graceful shutdown: let the relayed request finish first
      return;
    }
    if (deferredClose != null) {
      // a second close (the grace period ran out): now, for both
      ChannelPromise first = deferredClose;
      deferredClose = null;
      ctx.close(promise).addListener(f -> first.trySuccess());
      return;
    }
    ctx.close(promise);
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (current != null) {
      current.clientWritable(ctx.channel().isWritable());
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    RelayCall call = current;
    current = null;
    if (call != null) {
      call.clientClosed();
    }
    releaseHeld();
    ctx.fireChannelInactive();
  }
}
