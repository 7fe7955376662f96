package dev.berth.registry.testsupport;

import dev.berth.registry.oci.Digest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Reads the CNCF distribution storage layout directly from disk ({@code docker/registry/v2/...}), independent of any
 * server, so cross-serving tests can list what one registry left behind and check where it put things.
 */
public record DistributionLayout(Path root) {

  public Path v2() {
    return root.resolve("docker").resolve("registry").resolve("v2");
  }

  /** {@code blobs/<alg>/<first two hex>/<hex>/data}, where distribution keeps a blob's bytes. */
  public Path blobData(Digest digest) {
    return v2().resolve("blobs").resolve(digest.algorithm()).resolve(digest.hex().substring(0, 2))
        .resolve(digest.hex()).resolve("data");
  }

  /** Every repository (names may contain '/') with its tags, both sorted, read from {@code _manifests/tags}. */
  public Map<String, List<String>> tagsByRepository() {
    Path repositories = v2().resolve("repositories");
    Map<String, List<String>> result = new TreeMap<>();
    if (!Files.isDirectory(repositories)) {
      return result;
    }
    try (Stream<Path> walk = Files.walk(repositories, 64)) {
      walk.filter(p -> p.getFileName().toString().equals("_manifests") && Files.isDirectory(p.resolve("tags")))
          .forEach(manifests -> {
            String name = repositories.relativize(manifests.getParent()).toString();
            result.put(name, tagsIn(manifests.resolve("tags")));
          });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return result;
  }

  /** The digest {@code repository:tag} points at, from {@code tags/<tag>/current/link}. */
  public Digest taggedDigest(String repository, String tag) {
    Path link = v2().resolve("repositories").resolve(repository).resolve("_manifests").resolve("tags").resolve(tag)
        .resolve("current").resolve("link");
    try {
      return Digest.parse(Files.readString(link).strip());
    } catch (IOException e) {
      throw new UncheckedIOException("no tag link " + link, e);
    }
  }

  private static List<String> tagsIn(Path tags) {
    try (Stream<Path> list = Files.list(tags)) {
      return list.filter(tag -> Files.isRegularFile(tag.resolve("current").resolve("link")))
          .map(tag -> tag.getFileName().toString()).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
