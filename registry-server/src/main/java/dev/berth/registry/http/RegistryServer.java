package dev.berth.registry.http;

import dev.berth.registry.auth.Authenticator;
import dev.berth.registry.config.RegistryConfig;
import dev.berth.registry.storage.RegistryStorage;

/** Placeholder for the Netty server: binds {@code config.http()} and serves the registry API. */
public final class RegistryServer implements AutoCloseable {
  public RegistryServer(RegistryConfig config, RegistryStorage storage, Authenticator authenticator) {}

  /** Binds and starts serving; returns once the listener is up. */
  public RegistryServer start() {
    throw new UnsupportedOperationException("not yet");
  }

  /** The bound port (useful when the config asked for port 0). */
  public int port() {
    throw new UnsupportedOperationException("not yet");
  }

  /** Stops accepting, lets in-flight requests finish (bounded), then releases the event loops. */
  @Override
  public void close() {}
}
