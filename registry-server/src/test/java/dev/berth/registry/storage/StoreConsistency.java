package dev.berth.registry.storage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.registry.oci.Digest;
import dev.berth.registry.testsupport.DistributionLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Checks a storage root the way a pulling client would experience it, reading the layout from disk independently of
 * the production code (whose readers drop an unreadable link, so a torn one could never be seen): everything
 * {@link DistributionLayout#consistencyProblems()} reports (blobs holding other bytes; torn, unreadable or dangling
 * tag, revision and {@code _layers} links; manifests that are not complete JSON; tags without a revision), and every
 * manifest revision's references: its config and layers stored and linked in the repository's {@code _layers}, an
 * index's manifests linked as revisions.
 */
final class StoreConsistency {
  private static final ObjectMapper JSON = new ObjectMapper();

  private StoreConsistency() {}

  /** The problems found; empty when the store is consistent. */
  static List<String> problems(Path root) throws IOException {
    DistributionLayout layout = new DistributionLayout(root);
    List<String> problems = new ArrayList<>(layout.consistencyProblems());
    Path repositories = layout.v2().resolve("repositories");
    if (!Files.isDirectory(repositories)) {
      return problems;
    }
    List<Path> revisionDirs;
    try (Stream<Path> walk = Files.walk(repositories, 64)) {
      revisionDirs = walk.filter(p -> p.getFileName().toString().equals("revisions")
          && p.getParent().getFileName().toString().equals("_manifests")).toList();
    }
    for (Path revisions : revisionDirs) {
      Path repository = revisions.getParent().getParent();
      String name = repositories.relativize(repository).toString();
      try (Stream<Path> links = Files.walk(revisions, 3)) {
        for (Path link : links.filter(p -> p.getFileName().toString().equals("link") && Files.isRegularFile(p)).toList()) {
          checkReferences(layout, repository, name, link, problems);
        }
      }
    }
    return problems;
  }

  private static void checkReferences(DistributionLayout layout, Path repository, String name, Path link,
      List<String> problems) {
    Digest manifest;
    JsonNode json;
    try {
      manifest = Digest.parse(Files.readString(link).strip());
      json = JSON.readTree(layout.blobData(manifest).toFile());
    } catch (IOException | RuntimeException e) {
      return; // a torn link or a missing or incomplete manifest: DistributionLayout reported it
    }
    List<JsonNode> blobs = new ArrayList<>();
    if (json.path("config").has("digest")) {
      blobs.add(json.get("config"));
    }
    json.path("layers").forEach(blobs::add);
    for (JsonNode blob : blobs) {
      Digest digest = parse(blob.path("digest").asText(), name + "@" + manifest, problems);
      if (digest == null) {
        continue;
      }
      if (!Files.isRegularFile(layout.blobData(digest))) {
        problems.add(name + "@" + manifest + " references missing blob " + digest);
      } else if (!Files.isRegularFile(repository.resolve("_layers").resolve(digest.algorithm()).resolve(digest.hex())
          .resolve("link"))) {
        problems.add(name + "@" + manifest + " references blob " + digest + " without a _layers link in " + name);
      }
    }
    for (JsonNode child : json.path("manifests")) {
      Digest digest = parse(child.path("digest").asText(), name + "@" + manifest, problems);
      if (digest != null && !Files.isRegularFile(repository.resolve("_manifests/revisions").resolve(digest.algorithm())
          .resolve(digest.hex()).resolve("link"))) {
        problems.add(name + "@" + manifest + " lists manifest " + digest + " that is not a revision of " + name);
      }
    }
  }

  private static Digest parse(String text, String where, List<String> problems) {
    try {
      return Digest.parse(text);
    } catch (RuntimeException e) {
      problems.add(where + " holds an invalid digest '" + text + "'");
      return null;
    }
  }
}
