package dev.berth.registry.oci;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A manifest that passed {@link ManifestParser}: its kind and what it points at. Image manifests have a config and
 * layers; indexes have child manifests. {@code subject} is the OCI 1.1 referrers link.
 */
public record ParsedManifest(
    ManifestKind kind,
    Optional<Reference> config,
    List<Reference> layers,
    List<Reference> manifests,
    Optional<Reference> subject,
    Optional<String> artifactType,
    Map<String, String> annotations) {

  public ParsedManifest {
    layers = List.copyOf(layers);
    manifests = List.copyOf(manifests);
    annotations = Collections.unmodifiableMap(new LinkedHashMap<>(annotations));
  }

  /** A descriptor inside a manifest; {@code urls} non-empty marks a foreign layer the registry need not hold. */
  public record Reference(String mediaType, Digest digest, long size, List<String> urls) {
    public Reference {
      urls = List.copyOf(urls);
    }

    public boolean isForeign() {
      return !urls.isEmpty();
    }
  }

  /** Blobs the repository must hold before this manifest is accepted: the config and every non-foreign layer. */
  public List<Digest> requiredBlobs() {
    List<Digest> required = new ArrayList<>();
    config.ifPresent(c -> required.add(c.digest()));
    layers.stream().filter(layer -> !layer.isForeign()).forEach(layer -> required.add(layer.digest()));
    return required;
  }

  /** Manifests the repository must hold before this index is accepted. */
  public List<Digest> requiredManifests() {
    return manifests.stream().map(Reference::digest).toList();
  }

  /** The artifactType a referrers response shows: the manifest's own, else its config's media type. */
  public Optional<String> referrerArtifactType() {
    return artifactType.or(() -> config.map(Reference::mediaType));
  }
}
