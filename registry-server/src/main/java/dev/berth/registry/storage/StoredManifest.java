package dev.berth.registry.storage;

import dev.berth.registry.oci.Digest;

/** A manifest exactly as it was pushed: its bytes, its media type and their digest. */
public record StoredManifest(Digest digest, String mediaType, byte[] content) {}
