package dev.berth.registry.storage;

import dev.berth.registry.oci.Digest;
import dev.berth.registry.oci.RepositoryName;
import dev.berth.registry.oci.Tag;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * What a write is about to make reachable: blobs and manifests by digest (a manifest's own bytes, its config and
 * layers, an index's children; an upload's or mount's blob) and, for a tag push, the tag. A garbage collector must not
 * delete any of them while the write commits; {@link ReferenceFence} orders the two.
 */
public record NewReferences(RepositoryName repository, Set<Digest> digests, Optional<Tag> tag) {
  public NewReferences {
    digests = Set.copyOf(new LinkedHashSet<>(digests));
  }

  public static NewReferences blob(RepositoryName repository, Digest digest) {
    return new NewReferences(repository, Set.of(digest), Optional.empty());
  }

  /**
   * The fence keys: each digest as text (global: a blob condemned in any repository conflicts) and the tag as
   * {@code tag:<repository>:<tag>}. A collector names what it deletes with the same keys.
   */
  public Set<String> keys() {
    Set<String> keys = new LinkedHashSet<>();
    digests.forEach(digest -> keys.add(digest.toString()));
    tag.ifPresent(t -> keys.add(tagKey(repository, t)));
    return keys;
  }

  public static String tagKey(RepositoryName repository, Tag tag) {
    return "tag:" + repository.value() + ":" + tag.value();
  }
}
