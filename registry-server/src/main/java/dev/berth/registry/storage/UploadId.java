package dev.berth.registry.storage;

import dev.berth.registry.oci.ErrorCode;
import dev.berth.registry.oci.RegistryException;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * An upload session id: a lower-case UUID, as registry:2 makes them (so its half-done uploads resume under Berth).
 * Anything else is BLOB_UPLOAD_UNKNOWN, which also keeps client-supplied text out of file paths.
 */
record UploadId(String value) {
  private static final Pattern UUID_FORM =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

  UploadId {
    if (value == null || !UUID_FORM.matcher(value).matches()) {
      throw new RegistryException(ErrorCode.BLOB_UPLOAD_UNKNOWN, "unknown upload id: " + value);
    }
  }

  static UploadId random() {
    return new UploadId(UUID.randomUUID().toString());
  }

  @Override
  public String toString() {
    return value;
  }
}
