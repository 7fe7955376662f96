package dev.berth.registry.storage;

import static dev.berth.registry.storage.Fixtures.descriptor;
import static dev.berth.registry.storage.Fixtures.ociManifest;
import static dev.berth.registry.storage.Fixtures.ociManifestJson;
import static dev.berth.registry.storage.Fixtures.pushBlob;
import static dev.berth.registry.storage.Fixtures.repo;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.berth.registry.oci.Descriptor;
import dev.berth.registry.oci.Digest;
import dev.berth.registry.oci.ManifestMediaTypes;
import dev.berth.registry.oci.RegistryException;
import dev.berth.registry.oci.RepositoryName;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** Two storage findings: the media-type sidecar cannot be lost to a racing delete; one bad referrers entry is skipped. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class StorageFindingsTest {
  private static final RepositoryName APP = repo("team/app");
  private static final String PUSHED_TYPE = "application/vnd.oci.image.manifest.v1+json; charset=utf-8";
  @TempDir Path root;

  private Path v2() {
    return root.resolve("docker/registry/v2/repositories/team/app");
  }

  @Test
  void aDeleteByDigestRacingAPushNeverLeavesARevisionWithoutItsContentType() throws Exception {
    FilesystemStorage storage = new FilesystemStorage(root);
    byte[] manifest = ociManifest(storage, APP, 7, "");
    Digest digest = Digest.sha256(manifest);
    Path revision = v2().resolve("_manifests/revisions/sha256/" + digest.hex() + "/link");
    Path sidecar = v2().resolve("_berth/manifests/sha256/" + digest.hex() + "/mediatype");
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      for (int round = 0; round < 300; round++) {
        storage.putManifest(APP, digest.toString(), PUSHED_TYPE, manifest);
        CyclicBarrier together = new CyclicBarrier(2);
        Future<?> push = pool.submit(() -> {
          together.await(10, TimeUnit.SECONDS);
          return storage.putManifest(APP, digest.toString(), PUSHED_TYPE, manifest);
        });
        Future<?> delete = pool.submit(() -> {
          together.await(10, TimeUnit.SECONDS);
          storage.deleteManifest(APP, digest.toString());
          return null;
        });
        push.get(10, TimeUnit.SECONDS);
        delete.get(10, TimeUnit.SECONDS);

        if (Files.exists(revision)) {
          assertThat(sidecar).as("round %d: the revision survived, so must its Content-Type", round).exists();
          assertThat(Files.readString(sidecar).trim()).isEqualTo(PUSHED_TYPE);
          assertThat(storage.manifest(APP, digest.toString()).orElseThrow().mediaType()).isEqualTo(PUSHED_TYPE);
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aCorruptReferrersEntryIsSkippedAndLoggedWhileTheOthersAreListed() throws Exception {
    FilesystemStorage storage = new FilesystemStorage(root);
    byte[] image = ociManifest(storage, APP, 8, "");
    Digest subject = storage.putManifest(APP, "v1", ManifestMediaTypes.OCI_MANIFEST, image).digest();
    String subjectField = "\"subject\":" + descriptor(ManifestMediaTypes.OCI_MANIFEST, subject, image.length);
    Digest good = referrer(storage, subjectField, "good");
    Digest torn = referrer(storage, subjectField, "torn");
    Digest wrongDigest = referrer(storage, subjectField, "wrong-digest");
    Digest nullJson = referrer(storage, subjectField, "null");
    // the first listing indexes what registry:2 may have stored; only then are the entries left as they are
    assertThat(storage.referrers(APP, subject)).hasSize(4);
    Path entries = v2().resolve("_berth/referrers/sha256/" + subject.hex() + "/sha256");
    Files.writeString(entries.resolve(torn.hex()).resolve("descriptor.json"), "{\"mediaType\":\"applic");
    Files.writeString(entries.resolve(wrongDigest.hex()).resolve("descriptor.json"),
        "{\"mediaType\":\"" + ManifestMediaTypes.OCI_MANIFEST + "\",\"digest\":\"not-a-digest\",\"size\":3}");
    Files.writeString(entries.resolve(nullJson.hex()).resolve("descriptor.json"), "null");

    ListAppender<ILoggingEvent> log = new ListAppender<>();
    Logger logger = (Logger) LoggerFactory.getLogger(ReferrersIndex.class);
    log.start();
    logger.addAppender(log);
    List<Descriptor> listed;
    try {
      listed = storage.referrers(APP, subject);
    } finally {
      logger.detachAppender(log);
    }

    assertThat(listed).extracting(Descriptor::digest).containsExactly(good.toString());
    assertThat(log.list).filteredOn(e -> e.getLevel() == Level.WARN).extracting(ILoggingEvent::getFormattedMessage)
        .hasSize(3)
        .anySatisfy(m -> assertThat(m).contains(torn.hex()))
        .anySatisfy(m -> assertThat(m).contains(wrongDigest.hex()))
        .anySatisfy(m -> assertThat(m).contains(nullJson.hex()));
  }

  private static Digest referrer(FilesystemStorage storage, String subjectField, String name) {
    byte[] config = ("{\"" + name + "\":1}").getBytes(StandardCharsets.UTF_8);
    Digest configDigest = pushBlob(storage, APP, config);
    byte[] manifest = ociManifestJson(descriptor("application/vnd.example." + name, configDigest, config.length),
        List.of(), subjectField);
    try {
      return storage.putManifest(APP, Digest.sha256(manifest).toString(), ManifestMediaTypes.OCI_MANIFEST, manifest).digest();
    } catch (RegistryException e) {
      throw new AssertionError(e);
    }
  }
}
