package dev.berth.registry.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.registry.auth.AccessRules;
import dev.berth.registry.auth.CallerAccess;
import dev.berth.registry.oci.Descriptor;
import dev.berth.registry.oci.Digest;
import dev.berth.registry.oci.ErrorCode;
import dev.berth.registry.oci.ManifestKind;
import dev.berth.registry.oci.ManifestParser;
import dev.berth.registry.oci.ParsedManifest;
import dev.berth.registry.oci.RegistryException;
import dev.berth.registry.oci.RepositoryName;
import dev.berth.registry.oci.Tag;
import dev.berth.registry.storage.OpenBlob;
import dev.berth.registry.storage.RegistryStorage;
import dev.berth.registry.storage.StoredManifest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The web UI's JSON API ({@code /v2/_berth/}): what the v2 API cannot give cheaply (tag counts, push times, sizes, a
 * manifest's config and referrers in one answer), on the storage interface, shown only to a caller who may pull the
 * repository. Deletes are not here: the UI deletes through the v2 API, so its policy and access rules apply.
 */
public final class RepositoryBrowser {
  /** The most repositories one listing returns; the search narrows further. */
  static final int MAX_REPOSITORIES = 500;
  /**
   * The most tags one listing returns: each costs a manifest read and a size sum, so a repository of thousands of tags
   * is narrowed by the search rather than read whole on every page view.
   */
  static final int MAX_TAGS = 200;
  private static final int MAX_CONFIG_BYTES = 1 << 20;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final RegistryStorage storage;
  private final boolean deleteEnabled;

  /** {@code deleteEnabled}: deletes are possible at all ({@code storage.delete.enabled} and not read-only). */
  public RepositoryBrowser(RegistryStorage storage, boolean deleteEnabled) {
    this.storage = storage;
    this.deleteEnabled = deleteEnabled;
  }

  public record RepositorySummary(String name, int tagCount) {}

  public record RepositoryList(String user, String query, List<RepositorySummary> repositories, boolean truncated) {}

  public record Permissions(boolean pull, boolean push, boolean delete) {}

  /** {@code pushed}: an ISO-8601 instant, or null when storage cannot tell. */
  public record TagSummary(String name, String digest, String mediaType, String pushed, long size) {}

  public record TagList(String repository, String query, Permissions permissions, List<TagSummary> tags,
      boolean truncated) {}

  public record Layer(String mediaType, String digest, long size) {}

  public record ImageConfig(String created, String os, String architecture, Map<String, String> labels,
      List<String> entrypoint, List<String> cmd, String workingDir, String user) {}

  public record PlatformEntry(String digest, String mediaType, String os, String architecture, String variant,
      long size) {}

  public record ManifestView(String repository, String reference, String digest, String mediaType, String kind,
      String artifactType, long size, long totalSize, Map<String, String> annotations, String subject,
      Layer config, ImageConfig image, List<Layer> layers, List<PlatformEntry> platforms, List<Descriptor> referrers,
      Permissions permissions) {}

  /** Repositories the caller may pull whose name contains {@code query} (case-insensitive), with their tag counts. */
  public RepositoryList repositories(CallerAccess.Known caller, String query) {
    String needle = needle(query);
    List<RepositorySummary> found = new ArrayList<>();
    boolean truncated = false;
    for (String name : storage.repositories(null, Integer.MAX_VALUE)) {
      if (!name.contains(needle) || !caller.mayPull(name)) {
        continue;
      }
      if (found.size() == MAX_REPOSITORIES) {
        truncated = true;
        break;
      }
      found.add(new RepositorySummary(name, tagsOf(RepositoryName.parse(name)).size()));
    }
    return new RepositoryList(caller.subject(), needle, found, truncated);
  }

  /**
   * The tags of a repository the caller may pull whose name contains {@code query} (case-insensitive; null or empty:
   * all), at most {@link #MAX_TAGS} in name order, each with its digest, push time and total size.
   */
  public TagList tags(CallerAccess.Known caller, RepositoryName repo, String query) {
    requirePull(caller, repo);
    String needle = needle(query);
    List<TagSummary> tags = new ArrayList<>();
    boolean truncated = false;
    for (String name : storage.tags(repo)) {
      if (!name.toLowerCase(Locale.ROOT).contains(needle)) {
        continue;
      }
      if (tags.size() == MAX_TAGS) {
        truncated = true;
        break;
      }
      storage.manifest(repo, name).ifPresent(manifest -> tags.add(new TagSummary(name, manifest.digest().toString(),
          manifest.mediaType(), storage.tagPushed(repo, Tag.parse(name)).map(Instant::toString).orElse(null),
          totalSize(repo, manifest, 0))));
    }
    return new TagList(repo.value(), needle, permissions(caller, repo), tags, truncated);
  }

  private static String needle(String query) {
    return query == null ? "" : query.strip().toLowerCase(Locale.ROOT);
  }

  /** A manifest or index with what its page shows: config, layers, platforms, annotations and referrers. */
  public ManifestView manifest(CallerAccess.Known caller, RepositoryName repo, String reference) {
    requirePull(caller, repo);
    StoredManifest manifest = load(repo, reference);
    ParsedManifest parsed = ManifestParser.parse(manifest.mediaType(), manifest.content());
    JsonNode root = readJson(manifest.content());
    Layer config = parsed.config().map(c -> new Layer(c.mediaType(), c.digest().toString(), c.size())).orElse(null);
    ImageConfig image = parsed.config().flatMap(c -> readConfig(repo, c.digest())).orElse(null);
    List<Layer> layers = parsed.layers().stream()
        .map(l -> new Layer(l.mediaType(), l.digest().toString(), l.size())).toList();
    List<PlatformEntry> platforms = new ArrayList<>();
    for (JsonNode child : root.path("manifests")) {
      String digest = child.path("digest").asText();
      JsonNode platform = child.path("platform");
      long size = storage.manifest(repo, digest).map(m -> totalSize(repo, m, 1)).orElse(child.path("size").asLong());
      platforms.add(new PlatformEntry(digest, text(child, "mediaType"), text(platform, "os"),
          text(platform, "architecture"), text(platform, "variant"), size));
    }
    return new ManifestView(repo.value(), reference, manifest.digest().toString(), manifest.mediaType(),
        parsed.kind().isIndex() ? "index" : "image",
        parsed.referrerArtifactType().orElse(null), manifest.content().length, totalSize(repo, manifest, 0),
        parsed.annotations(), parsed.subject().map(s -> s.digest().toString()).orElse(null), config, image, layers,
        platforms, storage.referrers(repo, manifest.digest()), permissions(caller, repo));
  }

  private StoredManifest load(RepositoryName repo, String reference) {
    if (!Digest.looksLikeDigest(reference)) {
      Tag.parse(reference); // TAG_INVALID for a reference that is neither
    }
    return storage.manifest(repo, reference).orElseThrow(() -> new RegistryException(ErrorCode.MANIFEST_UNKNOWN,
        "manifest unknown: " + repo + ":" + reference, reference));
  }

  /**
   * The manifest's bytes plus what it references that the repository holds: config and layers for an image, each
   * child's total for an index (nested indexes one level deep, enough for attestation-carrying images).
   */
  private long totalSize(RepositoryName repo, StoredManifest manifest, int depth) {
    ParsedManifest parsed;
    try {
      parsed = ManifestParser.parse(manifest.mediaType(), manifest.content());
    } catch (RegistryException e) {
      return manifest.content().length;
    }
    long total = manifest.content().length;
    total += parsed.config().map(ParsedManifest.Reference::size).orElse(0L);
    total += parsed.layers().stream().mapToLong(ParsedManifest.Reference::size).sum();
    for (ParsedManifest.Reference child : parsed.manifests()) {
      total += depth < 2 ? storage.manifest(repo, child.digest().toString()).map(m -> totalSize(repo, m, depth + 1))
          .orElse(child.size()) : child.size();
    }
    return total;
  }

  private java.util.Optional<ImageConfig> readConfig(RepositoryName repo, Digest digest) {
    if (storage.blob(repo, digest).filter(b -> b.size() <= MAX_CONFIG_BYTES).isEmpty()) {
      return java.util.Optional.empty();
    }
    JsonNode root;
    try {
      root = JSON.readTree(readBlob(repo, digest));
    } catch (IOException e) {
      return java.util.Optional.empty(); // not JSON: an artifact's config, shown by media type only
    }
    if (!root.isObject()) {
      return java.util.Optional.empty();
    }
    JsonNode config = root.path("config");
    Map<String, String> labels = new LinkedHashMap<>();
    config.path("Labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
    return java.util.Optional.of(new ImageConfig(text(root, "created"), text(root, "os"), text(root, "architecture"),
        labels, strings(config.path("Entrypoint")), strings(config.path("Cmd")), text(config, "WorkingDir"),
        text(config, "User")));
  }

  private byte[] readBlob(RepositoryName repo, Digest digest) {
    try (OpenBlob blob = storage.openBlob(repo, digest)) {
      int size = (int) blob.info().size();
      if (blob.isFile()) {
        ByteBuffer buffer = ByteBuffer.allocate(size);
        while (buffer.hasRemaining() && blob.channel().read(buffer, buffer.position()) >= 0) {
          // a bounded read: the channel gives at most the remaining bytes
        }
        return buffer.array();
      }
      try (InputStream in = blob.ranges().open(0, size)) {
        return in.readNBytes(size);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private List<String> tagsOf(RepositoryName repo) {
    try {
      return storage.tags(repo);
    } catch (RegistryException e) {
      return List.of(); // blobs only: no tags yet
    }
  }

  private void requirePull(CallerAccess.Known caller, RepositoryName repo) {
    if (!caller.mayPull(repo.value())) {
      throw new RegistryException(ErrorCode.DENIED, "requested access to the resource is denied",
          List.of(Map.of("Type", "repository", "Name", repo.value(), "Action", AccessRules.PULL)));
    }
  }

  private Permissions permissions(CallerAccess.Known caller, RepositoryName repo) {
    return new Permissions(true, caller.may(repo.value(), AccessRules.PUSH),
        deleteEnabled && caller.may(repo.value(), AccessRules.DELETE));
  }

  private static JsonNode readJson(byte[] content) {
    try {
      return JSON.readTree(content);
    } catch (IOException e) {
      throw new RegistryException(ErrorCode.MANIFEST_INVALID, "stored manifest is not JSON");
    }
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.path(field);
    return value.isTextual() ? value.asText() : null;
  }

  private static List<String> strings(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(v -> values.add(v.asText()));
    return values;
  }
}
