package dev.berth.registry.testsupport;

import dev.berth.registry.oci.Digest;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** A generated single-platform image: its manifest, config and layers, in manifest order. */
public record OciImage(Platform platform, Digest manifest, long manifestSize, Digest config, List<Digest> layers) {
  public OciImage {
    layers = List.copyOf(layers);
  }

  /** Every digest a registry must hold for this image: manifest, config, then layers. */
  public Set<Digest> allDigests() {
    Set<Digest> all = new LinkedHashSet<>();
    all.add(manifest);
    all.add(config);
    all.addAll(layers);
    return all;
  }
}
