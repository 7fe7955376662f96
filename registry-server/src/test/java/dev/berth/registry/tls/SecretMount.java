package dev.berth.registry.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

/**
 * A directory laid out the way the kubelet mounts a Secret: {@code name -> ..data/name}, {@code ..data -> ..<version>},
 * updated by writing a new version directory and renaming a new {@code ..data} link over the old one.
 */
public final class SecretMount {
  private final Path dir;
  private int version;

  public SecretMount(Path dir) {
    this.dir = dir;
  }

  public Path file(String name) {
    return dir.resolve(name);
  }

  /** Publishes a new version holding exactly {@code files}, atomically, as the kubelet does. */
  public void publish(Map<String, String> files) throws IOException {
    version++;
    Path versionDir = dir.resolve("..v" + version);
    Files.createDirectories(versionDir);
    for (Map.Entry<String, String> file : files.entrySet()) {
      Files.writeString(versionDir.resolve(file.getKey()), file.getValue(), StandardCharsets.UTF_8);
    }
    Path newLink = dir.resolve("..data_tmp");
    Files.deleteIfExists(newLink);
    Files.createSymbolicLink(newLink, versionDir.getFileName());
    Files.move(newLink, dir.resolve("..data"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    for (String name : files.keySet()) {
      Path link = dir.resolve(name);
      if (!Files.isSymbolicLink(link)) {
        Files.createSymbolicLink(link, Path.of("..data").resolve(name));
      }
    }
  }
}
