package dev.berth.registry.storage;

import dev.berth.registry.oci.Digest;
import dev.berth.registry.oci.ManifestMediaTypes;
import dev.berth.registry.oci.RepositoryName;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;

/**
 * Child process for {@link KillDuringPushTest}: pushes images into a storage ({@link StorageBackend#open(java.util.List)}
 * of {@code args[2..]}) until killed, printing one line per acknowledged image. Push number {@code args[1]} has a
 * layer of more than one S3 part and stops after {@link #PAUSE_AFTER} bytes of it: it flushes them to the medium
 * (on S3 one part of a multipart upload in progress and a side object with the rest), prints {@code mid-upload
 * <bytes written>} and waits there for the kill, so the parent can prove the push is mid-flight. Stops by itself
 * after {@code args[0]} seconds so it never outlives a broken test.
 */
public final class PushLoop {
  /** One 5 MiB part (S3's smallest) and a tail that stays in a side object. */
  static final int PAUSE_AFTER = (int) S3Settings.MIN_CHUNK_SIZE + 256 * 1024;
  private static final int CHUNK = 64 * 1024;

  private PushLoop() {}

  public static void main(String[] args) {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(Long.parseLong(args[0])));
    int pauseAt = Integer.parseInt(args[1]);
    DriverStorage storage = StorageBackend.open(Arrays.asList(args).subList(2, args.length));
    RepositoryName repo = RepositoryName.parse("crash/app");
    for (int i = 0; Instant.now().isBefore(deadline) && i < 100_000; i++) {
      boolean pause = i >= pauseAt;
      byte[] layer = Fixtures.randomBytes(i, (pause ? PAUSE_AFTER + 512 * 1024 : 512 * 1024) + i);
      UploadSession upload = storage.startUpload(repo);
      for (int offset = 0; offset < layer.length; offset += CHUNK) {
        int n = Math.min(CHUNK, layer.length - offset);
        upload.append(ByteBuffer.wrap(layer, offset, n));
        if (pause && offset + n == PAUSE_AFTER) {
          upload.flush();
          System.out.println("mid-upload " + PAUSE_AFTER);
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
