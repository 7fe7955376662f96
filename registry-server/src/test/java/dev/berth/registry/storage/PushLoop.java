package dev.berth.registry.storage;

import dev.berth.registry.oci.Digest;
import dev.berth.registry.oci.ManifestMediaTypes;
import dev.berth.registry.oci.RepositoryName;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * Child process for {@link KillDuringPushTest}: pushes images into a root until killed, printing one line per
 * acknowledged image. Stops by itself after {@code args[1]} seconds so it never outlives a broken test.
 */
public final class PushLoop {
  private PushLoop() {}

  public static void main(String[] args) {
    FilesystemStorage storage = new FilesystemStorage(Path.of(args[0]));
    Instant deadline = Instant.now().plus(Duration.ofSeconds(Long.parseLong(args[1])));
    RepositoryName repo = RepositoryName.parse("crash/app");
    for (int i = 0; Instant.now().isBefore(deadline) && i < 100_000; i++) {
      byte[] layer = Fixtures.randomBytes(i, 512 * 1024 + i);
      UploadSession upload = storage.startUpload(repo);
      for (int offset = 0; offset < layer.length; offset += 64 * 1024) {
        upload.append(ByteBuffer.wrap(layer, offset, Math.min(64 * 1024, layer.length - offset)));
      }
      upload.complete(Digest.sha256(layer));
      byte[] manifest = Fixtures.ociManifest(storage, repo, i, "");
      storage.putManifest(repo, "latest", ManifestMediaTypes.OCI_MANIFEST, manifest);
      storage.putManifest(repo, "v" + i, ManifestMediaTypes.OCI_MANIFEST, manifest);
      System.out.println("pushed v" + i + " " + Digest.sha256(manifest));
      System.out.flush();
    }
  }
}
