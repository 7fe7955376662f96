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
 * acknowledged image. From push number {@code args[2]} on, it stops half-way through the layer upload, prints
 * {@code mid-upload <bytes written>} and waits there for the kill, so the parent can prove the push is mid-flight.
 * Stops by itself after {@code args[1]} seconds so it never outlives a broken test.
 */
public final class PushLoop {
  private PushLoop() {}

  public static void main(String[] args) {
    FilesystemStorage storage = new FilesystemStorage(Path.of(args[0]));
    Instant deadline = Instant.now().plus(Duration.ofSeconds(Long.parseLong(args[1])));
    int pauseAt = args.length > 2 ? Integer.parseInt(args[2]) : Integer.MAX_VALUE;
    RepositoryName repo = RepositoryName.parse("crash/app");
    for (int i = 0; Instant.now().isBefore(deadline) && i < 100_000; i++) {
      byte[] layer = Fixtures.randomBytes(i, 512 * 1024 + i);
      UploadSession upload = storage.startUpload(repo);
      for (int offset = 0; offset < layer.length; offset += 64 * 1024) {
        upload.append(ByteBuffer.wrap(layer, offset, Math.min(64 * 1024, layer.length - offset)));
        if (i >= pauseAt && offset == 4 * 64 * 1024) {
          System.out.println("mid-upload " + (offset + 64 * 1024));
          System.out.flush();
          waitUntil(deadline);
        }
      }
      upload.complete(Digest.sha256(layer));
      byte[] manifest = Fixtures.ociManifest(storage, repo, i, "");
      storage.putManifest(repo, "latest", ManifestMediaTypes.OCI_MANIFEST, manifest);
      storage.putManifest(repo, "v" + i, ManifestMediaTypes.OCI_MANIFEST, manifest);
      System.out.println("pushed v" + i + " " + Digest.sha256(manifest));
      System.out.flush();
    }
  }

  private static void waitUntil(Instant deadline) {
    try {
      Thread.sleep(Math.max(0, Duration.between(Instant.now(), deadline).toMillis()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
