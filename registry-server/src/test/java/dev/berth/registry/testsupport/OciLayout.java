package dev.berth.registry.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.registry.oci.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.opentest4j.AssertionFailedError;

/**
 * Reads an OCI image layout directory, typically one skopeo pulled into, and checks it: a tag's digest, the blobs an
 * image reaches, and that every blob file hashes to its own name.
 */
public record OciLayout(Path root) {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> MANIFEST_TYPES = Set.of(OciMediaTypes.MANIFEST, OciMediaTypes.INDEX,
      "application/vnd.docker.distribution.manifest.v2+json",
      "application/vnd.docker.distribution.manifest.list.v2+json");

  /** The digest index.json names for {@code tag}; fails when the tag is absent. */
  public Digest digestOf(String tag) {
    for (JsonNode entry : readJson(root.resolve("index.json")).path("manifests")) {
      if (tag.equals(entry.path("annotations").path(OciMediaTypes.REF_NAME).asText(null))) {
        return Digest.parse(entry.path("digest").asText());
      }
    }
    throw new AssertionFailedError("tag " + tag + " not in " + root.resolve("index.json"));
  }

  /**
   * Fails unless {@code tag} names {@code top} and the blobs reachable from it are exactly {@code expected}, each one
   * present and hashing to its digest: the check after pulling an image back.
   */
  public void assertHoldsExactly(String tag, Digest top, Set<Digest> expected) {
    Digest tagged = digestOf(tag);
    if (!tagged.equals(top)) {
      throw new AssertionFailedError("tag " + tag + " in " + root + " is " + tagged + ", expected " + top,
          top.toString(), tagged.toString());
    }
    Set<Digest> actual = verifiedClosure(top);
    if (!actual.equals(expected)) {
      throw new AssertionFailedError("blobs reachable from " + top + " in " + root + " differ",
          expected.toString(), actual.toString());
    }
  }

  public byte[] blob(Digest digest) {
    try {
      return Files.readAllBytes(blobPath(digest));
    } catch (IOException e) {
      throw new AssertionFailedError("blob " + digest + " missing from " + root, e);
    }
  }

  public Path blobPath(Digest digest) {
    return root.resolve("blobs").resolve(digest.algorithm()).resolve(digest.hex());
  }

  /**
   * Every digest reachable from {@code top} (an index or a manifest): itself, nested manifests, configs and layers,
   * following descriptors by media type. Each one is checked to exist and to hash to its digest.
   */
  public Set<Digest> verifiedClosure(Digest top) {
    Set<Digest> seen = new LinkedHashSet<>();
    List<Digest> pending = new ArrayList<>(List.of(top));
    List<Boolean> pendingIsManifest = new ArrayList<>(List.of(true));
    for (int i = 0; i < pending.size() && i < 10_000; i++) {
      Digest digest = pending.get(i);
      if (!seen.add(digest)) {
        continue;
      }
      assertHashMatches(digest);
      if (!pendingIsManifest.get(i)) {
        continue;
      }
      JsonNode document = readJson(blobPath(digest));
      List<JsonNode> children = new ArrayList<>();
      document.path("manifests").forEach(children::add);
      if (document.has("config")) {
        children.add(document.path("config"));
      }
      document.path("layers").forEach(children::add);
      for (JsonNode child : children) {
        pending.add(Digest.parse(child.path("digest").asText()));
        pendingIsManifest.add(MANIFEST_TYPES.contains(child.path("mediaType").asText()));
      }
    }
    return seen;
  }

  /** Fails unless the blob file exists and its content hashes to {@code digest}. */
  public void assertHashMatches(Digest digest) {
    Path file = blobPath(digest);
    if (!Files.isRegularFile(file)) {
      throw new AssertionFailedError("blob " + digest + " missing from " + root);
    }
    MessageDigest hasher = digest.newHasher();
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), hasher)) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String actual = HexFormat.of().formatHex(hasher.digest());
    if (!actual.equals(digest.hex())) {
      throw new AssertionFailedError("blob " + digest + " in " + root + " hashes to " + actual);
    }
  }

  private static JsonNode readJson(Path file) {
    try {
      return JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new AssertionFailedError("cannot read JSON " + file, e);
    }
  }
}
