package dev.berth.registry.tls;

/**
 * A certificate or key file that cannot be used: missing, unreadable, not PEM, encrypted, or a key that does not
 * belong to the certificate. The message names the file and what is wrong, never the key material.
 */
public class TlsMaterialException extends RuntimeException {
  public TlsMaterialException(String message) {
    super(message);
  }

  public TlsMaterialException(String message, Throwable cause) {
    super(message, cause);
  }
}
