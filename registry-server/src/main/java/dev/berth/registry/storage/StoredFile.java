package dev.berth.registry.storage;

import java.nio.file.Path;
import java.time.Instant;

/** A file of a storage medium (an object on S3): its layout path, size, and modification time in the medium's clock. */
public record StoredFile(Path path, long size, Instant modified) {}
