package dev.berth.registry.storage;

import dev.berth.registry.oci.Digest;
import java.util.Optional;

/** The outcome of storing a manifest; {@code subject} is set when the manifest declared one (OCI-Subject header). */
public record ManifestPutResult(Digest digest, Optional<Digest> subject) {}
