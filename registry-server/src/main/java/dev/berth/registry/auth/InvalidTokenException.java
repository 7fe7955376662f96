package dev.berth.registry.auth;

/** A bearer token that cannot be trusted. The message says why, never what the token contained. */
public class InvalidTokenException extends Exception {
  public InvalidTokenException(String message) {
    super(message);
  }
}
