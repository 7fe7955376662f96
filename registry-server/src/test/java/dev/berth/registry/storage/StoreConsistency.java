package dev.berth.registry.storage;

import dev.berth.registry.oci.Digest;
import dev.berth.registry.oci.ManifestParser;
import dev.berth.registry.oci.ParsedManifest;
import dev.berth.registry.oci.RepositoryName;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Checks a storage root the way a pulling client would experience it: every visible blob holds exactly the bytes of
 * its digest, every linked manifest is stored whole and has its references, every tag points at a stored manifest.
 */
final class StoreConsistency {
  private StoreConsistency() {}

  /** The problems found; empty when the store is consistent. */
  static List<String> problems(Path root) throws IOException {
    List<String> problems = new ArrayList<>();
    Path v2 = root.resolve("docker/registry/v2");
    Path blobs = v2.resolve("blobs");
    if (Files.isDirectory(blobs)) {
      try (var files = Files.walk(blobs)) {
        for (Path data : files.filter(p -> p.getFileName().toString().equals("data")).toList()) {
          Digest digest = new Digest(blobs.relativize(data).getName(0).toString(), data.getParent().getFileName().toString());
          if (!hash(data, digest.algorithm()).equals(digest.hex())) {
            problems.add("blob " + digest + " holds other bytes");
          }
        }
      }
    }
    FilesystemStorage storage = new FilesystemStorage(root);
    for (String name : storage.repositories(null, 10_000)) {
      RepositoryName repo = RepositoryName.parse(name);
      if (!Files.isDirectory(v2.resolve("repositories").resolve(name).resolve("_manifests"))) {
        continue; // a repository holding only blobs (listed, as registry:2 lists it) has no tags to check
      }
      for (String tag : storage.tags(repo)) {
        if (storage.manifest(repo, tag).isEmpty()) {
          problems.add(name + ":" + tag + " points at a manifest that is not stored");
        }
      }
      Path revisions = v2.resolve("repositories").resolve(name).resolve("_manifests/revisions");
      if (!Files.isDirectory(revisions)) {
        continue;
      }
      try (var links = Files.walk(revisions)) {
        for (Path link : links.filter(p -> p.getFileName().toString().equals("link")).toList()) {
          Digest digest = LinkFile.read(link).orElse(null);
          if (digest == null) {
            problems.add("unreadable revision link " + link);
            continue;
          }
          var stored = storage.manifest(repo, digest.toString());
          if (stored.isEmpty()) {
            problems.add(name + "@" + digest + " is linked but not stored");
            continue;
          }
          ParsedManifest parsed = ManifestParser.parse(stored.get().mediaType(), stored.get().content());
          for (Digest blob : parsed.requiredBlobs()) {
            if (storage.blob(repo, blob).isEmpty()) {
              problems.add(name + "@" + digest + " references missing blob " + blob);
            }
          }
        }
      }
    }
    return problems;
  }

  private static String hash(Path file, String algorithm) throws IOException {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance(algorithm.equals("sha256") ? "SHA-256" : "SHA-512");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), md)) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
    }
    return HexFormat.of().formatHex(md.digest());
  }
}
