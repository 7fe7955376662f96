package dev.berth.registry.http.connection;

import dev.berth.registry.config.RegistryConfig;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code http.timeouts} and {@code http.limits} for every accepted connection: admits it through the
 * {@link ConnectionLimiter} and hands the channel initializer the handlers that enforce the timeouts.
 */
public final class ConnectionGuard {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectionGuard.class);
  /** Refused connections held at once while their 503/429 goes out. */
  static final int REFUSAL_RESERVE = 64;

  private final TimeoutPolicy policy;
  private final ConnectionLimiter limiter;
  private final LongSupplier nanoTime;
  private final TimeoutCounters counters = new TimeoutCounters();

  public ConnectionGuard(RegistryConfig.Timeouts timeouts, RegistryConfig.Limits limits, LongSupplier nanoTime) {
    this.policy = new TimeoutPolicy(timeouts);
    this.nanoTime = nanoTime;
    int derived = DescriptorBudget.connectionCap();
    int cap = limits.connections() > 0 ? limits.connections() : derived;
    if (cap > derived) {
      LOG.warn("http.limits.connections {} is more than the descriptor limit affords ({}); accept may fail with "
          + "'too many open files': raise the limit (ulimit -n) or lower the cap", cap, derived);
    }
    this.limiter = new ConnectionLimiter(cap, limits.connectionsPerClient(), REFUSAL_RESERVE);
  }

  /** The handlers for one new connection, or {@link #dropped()} when it is to be closed at once. */
  public record Guarded(ChannelHandler watchdog, ChannelHandler phaseTracker, ChannelHandler refusal, boolean dropped) {}

  /** Admits {@code channel}; its release is tied to its close. */
  public Guarded admit(Channel channel) {
    InetAddress client = ((InetSocketAddress) channel.remoteAddress()).getAddress();
    ConnectionState state = new ConnectionState(client, nanoTime.getAsLong(), channel::close);
    ConnectionLimiter.Admission admission = limiter.admit(state);
    if (admission == ConnectionLimiter.Admission.DROPPED) {
      return new Guarded(null, null, null, true);
    }
    channel.closeFuture().addListener(f -> limiter.release(state, admission));
    ChannelHandler refusal = switch (admission) {
      case REFUSED_FULL -> new RefusingHandler(HttpResponseStatus.SERVICE_UNAVAILABLE);
      case REFUSED_CLIENT -> new RefusingHandler(HttpResponseStatus.TOO_MANY_REQUESTS);
      default -> null;
    };
    return new Guarded(new ConnectionWatchdog(state, policy, nanoTime, counters),
        new HttpPhaseTracker(state, nanoTime), refusal, false);
  }

  public ConnectionLimiter limiter() {
    return limiter;
  }

  public TimeoutCounters timeouts() {
    return counters;
  }
}
