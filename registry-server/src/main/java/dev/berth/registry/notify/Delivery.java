package dev.berth.registry.notify;

import java.io.IOException;

/** Sends one envelope to an endpoint and returns the HTTP status; an exception is a failed attempt too. */
@FunctionalInterface
interface Delivery {
  int post(byte[] envelope) throws IOException, InterruptedException;
}
