package dev.berth.registry.oci;

/**
 * A failure the client caused or must hear about, carrying the spec's error code. The HTTP layer turns it into
 * {@code {"errors":[{"code","message","detail"}]}} with the code's status; nothing else should be thrown to clients.
 */
public class RegistryException extends RuntimeException {
  private final ErrorCode code;
  private final transient Object detail;
  private final int httpStatus;

  public RegistryException(ErrorCode code, String message) {
    this(code, message, null);
  }

  public RegistryException(ErrorCode code, String message, Object detail) {
    this(code, message, detail, code.httpStatus());
  }

  /** For the few places where the spec pairs a code with another status (e.g. 416 for out-of-order chunks). */
  public RegistryException(ErrorCode code, String message, Object detail, int httpStatus) {
    super(message == null ? code.defaultMessage() : message);
    this.code = code;
    this.detail = detail;
    this.httpStatus = httpStatus;
  }

  public ErrorCode code() {
    return code;
  }

  public Object detail() {
    return detail;
  }

  public int httpStatus() {
    return httpStatus;
  }
}
