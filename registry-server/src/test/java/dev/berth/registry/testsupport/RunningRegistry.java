package dev.berth.registry.testsupport;

import java.nio.file.Path;

/** A registry a test started on loopback: where clients reach it and which storage root it serves. */
public interface RunningRegistry extends AutoCloseable {
  /** {@code 127.0.0.1:<port>}, as skopeo and curl want it. */
  String hostPort();

  /** The root directory of its distribution-layout storage. */
  Path root();

  /** Stops it and waits until it is gone; idempotent. */
  @Override
  void close();
}
