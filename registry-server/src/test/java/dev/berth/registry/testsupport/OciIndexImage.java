package dev.berth.registry.testsupport;

import dev.berth.registry.oci.Digest;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** A generated multi-platform image: an OCI index and the platform images it lists. */
public record OciIndexImage(Digest index, long indexSize, List<OciImage> images) {
  public OciIndexImage {
    images = List.copyOf(images);
  }

  /** The index and everything each of its images needs. */
  public Set<Digest> allDigests() {
    Set<Digest> all = new LinkedHashSet<>();
    all.add(index);
    images.forEach(image -> all.addAll(image.allDigests()));
    return all;
  }
}
