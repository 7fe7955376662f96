package dev.berth.registry.http.connection;

import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.ssl.SslHandler;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * First in the pipeline, so it sees every byte off the socket (TLS records included): marks activity on the
 * connection's {@link ConnectionState}, and on a ticker asks {@link TimeoutPolicy} whether the connection has waited
 * too long in its phase. A pending response counts as progressing while the socket takes any of it, so a slow reader
 * is never cut; one that takes nothing for {@code send} is.
 */
final class ConnectionWatchdog extends ChannelDuplexHandler {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectionWatchdog.class);

  private final ConnectionState state;
  private final TimeoutPolicy policy;
  private final LongSupplier nanoTime;
  private final TimeoutCounters counters;
  private ScheduledFuture<?> ticker;
  private Object lastCurrent;
  private long lastProgress = -1;
  private long lastPending = -1;
  /** When the last pending write made progress; -1 while nothing is pending. */
  private long sendProgressAt = -1;
  private boolean timedOut;
  private long lastLook;

  ConnectionWatchdog(ConnectionState state, TimeoutPolicy policy, LongSupplier nanoTime, TimeoutCounters counters) {
    this.state = state;
    this.policy = policy;
    this.nanoTime = nanoTime;
    this.counters = counters;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    long tick = policy.tickNanos();
    lastLook = nanoTime.getAsLong();
    ticker = ctx.executor().scheduleAtFixedRate(() -> tick(ctx), tick, tick, TimeUnit.NANOSECONDS);
    ctx.fireChannelActive();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (ticker != null) {
      ticker.cancel(false);
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    state.bytesRead(nanoTime.getAsLong());
    ctx.fireChannelRead(msg);
  }

  private void tick(ChannelHandlerContext ctx) {
    Channel channel = ctx.channel();
    if (!channel.isActive()) {
      return;
    }
    long now = nanoTime.getAsLong();
    long unobserved = policy.unobservedNanos(lastLook, now);
    lastLook = now;
    if (unobserved > 0) {
      state.excuse(unobserved, now);
      if (sendProgressAt >= 0) {
        sendProgressAt = Math.min(sendProgressAt + unobserved, now);
      }
    }
    observeOutput(channel, now);
    if (!channel.config().isAutoRead()) {
      state.serverPaused(now);
    }
    if (timedOut) {
      // a 408 is on its way; if the client does not take it either, the send timeout closes the connection
      if (policy.check(ConnectionPhase.PROCESSING, now, sendProgressAt, now) == TimeoutPolicy.Verdict.SEND) {
        channel.close();
      }
      return;
    }
    TimeoutPolicy.Verdict verdict = policy.check(state.phase(), state.since(), sendProgressAt, now);
    if (verdict == TimeoutPolicy.Verdict.NONE) {
      return;
    }
    counters.timedOut(verdict);
    LOG.debug("closing connection from {}: {} timeout", channel.remoteAddress(), verdict);
    if (verdict == TimeoutPolicy.Verdict.HEADER && handshakeDone(channel)) {
      timedOut = true;
      channel.writeAndFlush(requestTimeout()).addListener(ChannelFutureListener.CLOSE);
    } else {
      channel.close();
    }
  }

  /** Progress of the pending write: the message at the head of the outbound buffer, how far it got, what is left. */
  private void observeOutput(Channel channel, long now) {
    ChannelOutboundBuffer buffer = channel.unsafe().outboundBuffer();
    long pending = buffer == null ? 0 : buffer.totalPendingWriteBytes();
    if (pending == 0) {
      sendProgressAt = -1;
      lastCurrent = null;
      return;
    }
    Object current = buffer.current();
    long progress = buffer.currentProgress();
    if (sendProgressAt < 0 || current != lastCurrent || progress != lastProgress || pending != lastPending) {
      sendProgressAt = now;
    }
    lastCurrent = current;
    lastProgress = progress;
    lastPending = pending;
  }

  private static boolean handshakeDone(Channel channel) {
    SslHandler ssl = channel.pipeline().get(SslHandler.class);
    return ssl == null || ssl.handshakeFuture().isSuccess();
  }

  private static DefaultFullHttpResponse requestTimeout() {
    return ErrorResponses.full(HttpResponseStatus.REQUEST_TIMEOUT, "UNKNOWN",
        "the request line and headers did not arrive in time; the connection is closed");
  }
}
