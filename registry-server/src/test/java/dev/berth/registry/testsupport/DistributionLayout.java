package dev.berth.registry.testsupport;

import dev.berth.registry.oci.Digest;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Reads the CNCF distribution storage layout directly from disk ({@code docker/registry/v2/...}), independent of any
 * server, so cross-serving tests can list what one registry left behind and check where it put things.
 */
public record DistributionLayout(Path root) {
  private static final ObjectMapper JSON = new ObjectMapper();

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

  /**
   * Everything a crash could have left half-done, as readable problems (empty when the layout is sound): a blob whose
   * bytes do not hash to its name, a tag, revision or layer link to a blob that is not there, a manifest revision that
   * is not a complete JSON document.
   */
  public List<String> consistencyProblems() {
    List<String> problems = new ArrayList<>();
    Path blobs = v2().resolve("blobs");
    if (Files.isDirectory(blobs)) {
      try (Stream<Path> walk = Files.walk(blobs, 4)) {
        walk.filter(p -> p.getFileName().toString().equals("data") && Files.isRegularFile(p))
            .forEach(data -> checkBlob(data, problems));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    Path repositories = v2().resolve("repositories");
    if (Files.isDirectory(repositories)) {
      try (Stream<Path> walk = Files.walk(repositories, 64)) {
        walk.filter(p -> p.getFileName().toString().equals("link") && Files.isRegularFile(p))
            .forEach(link -> checkLink(repositories.relativize(link), link, problems));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return problems;
  }

  private void checkBlob(Path data, List<String> problems) {
    Path dir = data.getParent();
    String algorithm = dir.getParent().getParent().getFileName().toString();
    String hex = dir.getFileName().toString();
    Digest expected;
    try {
      expected = new Digest(algorithm, hex);
    } catch (RuntimeException e) {
      problems.add("blob directory with an invalid name: " + dir);
      return;
    }
    try (InputStream in = new DigestInputStream(Files.newInputStream(data), expected.newHasher())) {
      MessageDigest hasher = ((DigestInputStream) in).getMessageDigest();
      in.transferTo(OutputStream.nullOutputStream());
      String actual = HexFormat.of().formatHex(hasher.digest());
      if (!actual.equals(hex)) {
        problems.add("blob " + expected + " holds bytes hashing to " + actual);
      }
    } catch (IOException e) {
      problems.add("blob " + expected + " unreadable: " + e);
    }
  }

  private void checkLink(Path relative, Path link, List<String> problems) {
    if (relative.toString().contains("/_uploads/")) {
      return; // uploads in progress are private to their session
    }
    Digest target;
    try {
      target = Digest.parse(Files.readString(link).strip());
    } catch (IOException | RuntimeException e) {
      problems.add("unreadable or invalid link " + relative + ": " + e.getMessage());
      return;
    }
    if (!Files.isRegularFile(blobData(target))) {
      problems.add("link " + relative + " points at missing blob " + target);
      return;
    }
    String path = relative.toString();
    if (path.contains("/_manifests/")) {
      try {
        if (!JSON.readTree(blobData(target).toFile()).isObject()) {
          problems.add("manifest " + target + " behind " + relative + " is not a JSON object");
        }
      } catch (IOException e) {
        problems.add("manifest " + target + " behind " + relative + " is not complete JSON: " + e.getMessage());
      }
    }
    if (path.contains("/_manifests/tags/")) {
      Path repositoryDir = link;
      while (!repositoryDir.getFileName().toString().equals("_manifests")) {
        repositoryDir = repositoryDir.getParent();
      }
      Path revision = repositoryDir.resolve("revisions").resolve(target.algorithm()).resolve(target.hex())
          .resolve("link");
      if (!Files.isRegularFile(revision)) {
        problems.add("tag link " + relative + " names " + target + " without a revision link");
      }
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
