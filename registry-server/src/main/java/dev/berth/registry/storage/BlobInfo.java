package dev.berth.registry.storage;

import dev.berth.registry.oci.Digest;

/** What is known of a stored blob without reading it. */
public record BlobInfo(Digest digest, long size) {}
