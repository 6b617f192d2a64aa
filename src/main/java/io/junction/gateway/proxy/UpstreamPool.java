package io.junction.gateway.proxy;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.resolver.AddressResolverGroup;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;

import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The direct relay's keep-alive HTTP/1.1 connections to plain-HTTP upstreams, one pool per event loop (used from
 * that loop only, so no locks). Per upstream host:port at most {@code maxPerHost} connections are open; callers
 * beyond that wait in line (bounded) for a released one. Idle connections are reused last-in first-out and
 * dropped after the keep-alive timeout or when the upstream closes them.
 */
final class UpstreamPool {
  /** Who gets a connection: one relayed request. */
  interface Borrower {
    void linked(Link link);

    void failed(Throwable cause);
  }

  private final EventLoop loop;
  private final ChannelFactory<? extends Channel> channels;
  private final AddressResolverGroup<InetSocketAddress> resolver;
  private final int maxPerHost;
  private final int maxWaiting;
  private final long keepAliveNanos;
  private final int maxHeaderSize;
  private final Map<String, Host> hosts = new HashMap<>();

  UpstreamPool(EventLoop loop, ChannelFactory<? extends Channel> channels, AddressResolverGroup<InetSocketAddress> resolver,
               int maxPerHost, int maxWaiting, long keepAliveSeconds, int maxHeaderSize) {
    this.loop = loop;
    this.channels = channels;
    this.resolver = resolver;
    this.maxPerHost = maxPerHost;
    this.maxWaiting = maxWaiting;
    this.keepAliveNanos = TimeUnit.SECONDS.toNanos(keepAliveSeconds);
    this.maxHeaderSize = maxHeaderSize;
  }

  /** Hands borrower a connection to target: an idle one, a new one, or the next released one. */
  void acquire(Target target, long connectTimeoutMs, Borrower borrower) {
    Host host = hosts.computeIfAbsent(target.host() + ':' + target.port(), k -> new Host(target.host(), target.port()));
    long now = System.nanoTime();
    Link link;
    while ((link = host.idle.pollLast()) != null) {
      if (link.channel.isActive() && now - link.idleSince < keepAliveNanos) {
        link.borrowed = true;
        borrower.linked(link);
        return;
      }
      link.channel.close(); // stale: its close handler counts it out
    }
    if (host.open < maxPerHost) {
      connect(host, connectTimeoutMs, borrower);
    } else if (host.waiting.size() < maxWaiting) {
      Waiter waiter = new Waiter(borrower);
      if (connectTimeoutMs > 0) {
        waiter.timer = loop.schedule(() -> {
          if (host.waiting.remove(waiter)) {
            borrower.failed(new TimeoutException("no connection to " + host.name + " free within " + connectTimeoutMs + " ms"));
          }
        }, connectTimeoutMs, TimeUnit.MILLISECONDS);
      }
      host.waiting.add(waiter);
    } else {
      borrower.failed(new IllegalStateException("too many requests waiting for a connection to " + host.name));
    }
  }

  private void connect(Host host, long connectTimeoutMs, Borrower borrower) {
    host.open++;
    Link link = new Link(host);
    Bootstrap bootstrap = new Bootstrap().group(loop).channelFactory(channels).resolver(resolver)
      .option(ChannelOption.TCP_NODELAY, true)
      .handler(new ChannelInitializer<>() {
        @Override
        protected void initChannel(Channel ch) {
          ch.pipeline().addLast("codec", new HttpClientCodec(4096, maxHeaderSize, 8192));
          ch.pipeline().addLast("link", link);
        }
      });
    if (connectTimeoutMs > 0) {
      bootstrap.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, connectTimeoutMs));
    }
    bootstrap.connect(host.address, host.port).addListener((ChannelFutureListener) f -> {
      if (f.isSuccess()) {
        link.channel = f.channel();
        link.borrowed = true;
        f.channel().closeFuture().addListener(closed -> link.closed());
        borrower.linked(link);
      } else {
        host.open--;
        borrower.failed(f.cause());
        serveWaiter(host);
      }
    });
  }

  /** A waiter gets a fresh connection when one closes (there is room again). */
  private void serveWaiter(Host host) {
    Waiter waiter = host.waiting.poll();
    if (waiter != null) {
      if (waiter.timer != null) {
        waiter.timer.cancel(false);
      }
      connect(host, 0, waiter.borrower);
    }
  }

  /** Number of open connections (idle, busy or connecting) to host:port; for tests. */
  int open(String host, int port) {
    Host h = hosts.get(host + ':' + port);
    return h == null ? 0 : h.open;
  }

  private static final class Waiter {
    final Borrower borrower;
    ScheduledFuture<?> timer;

    Waiter(Borrower borrower) {
      this.borrower = borrower;
    }
  }

  private static final class Host {
    final String address;
    final int port;
    final String name;
    final ArrayDeque<Link> idle = new ArrayDeque<>();
    final ArrayDeque<Waiter> waiting = new ArrayDeque<>();
    int open;

    Host(String address, int port) {
      this.address = address;
      this.port = port;
      this.name = address + ':' + port;
    }
  }

  /** One upstream connection: hands what it reads to the request that holds it. */
  final class Link extends ChannelInboundHandlerAdapter {
    private final Host host;
    Channel channel;
    private RelayCall owner;
    private boolean borrowed;
    private long idleSince;

    Link(Host host) {
      this.host = host;
    }

    void attach(RelayCall call) {
      this.owner = call;
    }

    /** The request is done with the connection and it can carry another (a complete exchange, keep-alive). */
    void release() {
      owner = null;
      borrowed = false;
      if (!channel.isActive()) {
        return;
      }
      // reads may have been paused while the client was slow; the next response must be read
      channel.config().setAutoRead(true);
      Waiter waiter = host.waiting.poll();
      if (waiter != null) {
        if (waiter.timer != null) {
          waiter.timer.cancel(false);
        }
        borrowed = true;
        waiter.borrower.linked(this);
        return;
      }
      idleSince = System.nanoTime();
      host.idle.addLast(this);
    }

    /** The connection cannot be reused (broken, half-sent, or the upstream asked to close). */
    void discard() {
      owner = null;
      channel.close();
    }

    private void closed() {
      host.open--;
      if (!borrowed) {
        host.idle.remove(this);
      }
      serveWaiter(host);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      RelayCall call = owner;
      if (call == null) {
        ReferenceCountUtil.release(msg); // an idle connection has nothing to say: drop it
        ctx.close();
        return;
      }
      call.upstreamRead(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      RelayCall call = owner;
      if (call != null) {
        call.upstreamReadComplete();
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      RelayCall call = owner;
      owner = null;
      if (call != null) {
        call.upstreamClosed(null);
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      RelayCall call = owner;
      owner = null;
      if (call != null) {
        call.upstreamClosed(cause);
      }
      ctx.close();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
      RelayCall call = owner;
      if (call != null) {
        call.upstreamWritable(ctx.channel().isWritable());
      }
    }
  }
}
