package dev.berth.registry.http;

import dev.berth.registry.oci.ErrorCode;
import dev.berth.registry.oci.RegistryException;

/** What the configuration allows beyond reads: {@code storage.delete.enabled} and read-only maintenance mode. */
record WritePolicy(boolean deleteEnabled, boolean readOnly) {

  void checkWrite() {
    if (readOnly) {
      throw new RegistryException(ErrorCode.UNSUPPORTED, "the registry is in read-only mode");
    }
  }

  void checkDelete() {
    checkWrite();
    if (!deleteEnabled) {
      throw new RegistryException(ErrorCode.UNSUPPORTED, "deletes are disabled (storage.delete.enabled: false)");
    }
  }
}
