package dev.berth.registry.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.registry.oci.Digest;
import dev.berth.registry.testsupport.BerthProcess;
import dev.berth.registry.testsupport.BlobTransfer;
import dev.berth.registry.testsupport.DistributionLayout;
import dev.berth.registry.testsupport.ExternalTool;
import dev.berth.registry.testsupport.GeneratedContent;
import dev.berth.registry.testsupport.OciImage;
import dev.berth.registry.testsupport.OciImageFactory;
import dev.berth.registry.testsupport.OciIndexImage;
import dev.berth.registry.testsupport.OciLayout;
import dev.berth.registry.testsupport.RegistryHttp;
import dev.berth.registry.testsupport.RegistryMedium;
import dev.berth.registry.testsupport.S3Bucket;
import dev.berth.registry.testsupport.SharedS3Proxy;
import dev.berth.registry.testsupport.ServerProcess;
import dev.berth.registry.testsupport.Skopeo;
import dev.berth.registry.testsupport.Skopeo.CopyOption;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 in the middle of a push: Berth runs as its own JVM, gets SIGKILL while bytes are still arriving, and is
 * started again on the same root. Every image pushed before must pull intact, nothing half-written may be visible,
 * the stale-upload purge removes what the killed upload left (on S3: aborts its multipart upload), and the registry
 * must take new pushes. Each case runs on a directory and on an s3proxy bucket with 5 MiB parts; the layout checks
 * read both as files.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class CrashRecoveryTest {
  private static final long BIG = 1L << 30;

  private static final String VICTIM = "victim/app";
  /** A purge on every restart where the test waits for it, of uploads over a second old (the killed one). */
  private static final Map<String, String> PURGE_NOW = Map.of(
      "REGISTRY_STORAGE_MAINTENANCE_UPLOADPURGING_AGE", "1s",
      "REGISTRY_STORAGE_MAINTENANCE_UPLOADPURGING_INTERVAL", "1s");

  @TempDir Path temp;
  private final ExecutorService background = Executors.newSingleThreadExecutor();
  private Skopeo skopeo;
  private Medium kind;
  private RegistryMedium medium;
  private OciImageFactory factory;
  private OciImage earlierImage;
  private OciIndexImage earlierIndex;

  enum Medium {
    FILESYSTEM, S3;

    RegistryMedium in(Path temp) {
      return this == S3 ? RegistryMedium.s3(S3Bucket.create(SharedS3Proxy.server()))
          : RegistryMedium.directory(temp.resolve("root"));
    }
  }

  @BeforeEach
  void pushEarlierImages() {
    skopeo = Skopeo.require(temp);
    factory = new OciImageFactory(temp.resolve("source"), 5);
    earlierImage = factory.addImage("earlier", 2 << 20, 300_000, 10);
    earlierIndex = factory.addMultiPlatformIndex("earlier-multi", 200_000);
  }

  @AfterEach
  void stopBackground() {
    background.shutdownNow();
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Medium.class)
  void killDuringAStreamedBlobUploadLosesNothingAndShowsNothingPartial(Medium kind) throws Exception {
    this.kind = kind;
    medium = kind.in(temp);
    try (BerthProcess berth = medium.start(temp, Map.of())) {
      pushEarlier(berth.hostPort());
      BlobTransfer client = new BlobTransfer(berth.hostPort());
      URI upload = client.startUpload(VICTIM);
      GeneratedContent big = new GeneratedContent(99, BIG);
      CompletableFuture<BlobTransfer.Transferred> patch =
          CompletableFuture.supplyAsync(() -> client.patch(upload, big, BIG), background);

      // the proof the kill lands mid-upload is on the medium: 32 MiB of the blob stored (on S3 as uploaded parts)
      RegistryMedium.InFlight seen = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
          .until(() -> medium.inFlight(VICTIM), f -> f.bytes() >= 32L << 20 || patch.isDone());
      assertThat(patch).as("the upload must still be running when the server is killed").isNotDone();
      assertInFlightShape(seen);
      berth.kill();

      await().atMost(Duration.ofSeconds(30)).until(patch::isDone);
      assertThat(patch).isCompletedExceptionally();
    }

    assertRecovered(GeneratedContent.sha256(99, BIG));
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Medium.class)
  void killDuringASkopeoPushLeavesNoTagAndNoPartialManifest(Medium kind) throws Exception {
    this.kind = kind;
    medium = kind.in(temp);
    OciImage large = factory.addImage("large", 48 << 20, 48 << 20, 48 << 20);
    try (BerthProcess berth = medium.start(temp, Map.of())) {
      pushEarlier(berth.hostPort());
      ServerProcess push = ServerProcess.start(List.of(ExternalTool.skopeo().path().toString(), "--insecure-policy",
          "--command-timeout=120s", "copy", "--dest-tls-verify=false", "--tmpdir=" + temp,
          Skopeo.oci(temp.resolve("source"), "large"), Skopeo.docker(berth.hostPort(), "victim/app", "large")),
          temp, temp.resolve("skopeo-large.log"));
      try {
        RegistryMedium.InFlight seen = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
            .until(() -> medium.inFlight(VICTIM), f -> f.bytes() >= 16L << 20 || !push.isAlive());
        assertThat(push.isAlive()).as("skopeo must still be pushing when the server is killed: %s",
            push.diagnostics()).isTrue();
        assertInFlightShape(seen);
        berth.kill();
        await().atMost(Duration.ofSeconds(60)).until(() -> !push.isAlive());
      } finally {
        push.stop();
      }
      assertThat(push.stop()).as("skopeo must fail when its registry dies: %s", push.diagnostics()).isNotZero();
    }

    // a layer skopeo finished before the kill may stay (the consistency check proves it intact); the tag may not
    assertRecovered(null);
    try (BerthProcess berth = medium.start(temp, Map.of())) {
      assertThat(new RegistryHttp(berth.hostPort()).getStatus("/v2/victim/app/manifests/large")).isEqualTo(404);
      skopeo.copy(Skopeo.oci(temp.resolve("source"), "large"), Skopeo.docker(berth.hostPort(), "victim/app", "large"),
          CopyOption.PRESERVE_DIGESTS);
      Path pulled = temp.resolve("pulled-large");
      skopeo.copy(Skopeo.docker(berth.hostPort(), "victim/app", "large"), Skopeo.oci(pulled, "large"));
      new OciLayout(pulled).assertHoldsExactly("large", large.manifest(), large.allDigests());
    }
  }

  private void pushEarlier(String hostPort) {
    skopeo.copy(Skopeo.oci(temp.resolve("source"), "earlier"), Skopeo.docker(hostPort, "team/app", "v1"),
        CopyOption.PRESERVE_DIGESTS);
    skopeo.copy(Skopeo.oci(temp.resolve("source"), "earlier-multi"), Skopeo.docker(hostPort, "team/multi", "v1"),
        CopyOption.ALL, CopyOption.PRESERVE_DIGESTS);
  }

  /**
   * Restarts on the same root and checks the earlier images, the absence of the {@code interrupted} blob (when the
   * test knows one that cannot have completed), and that new pushes work.
   */
  private void assertRecovered(Digest interrupted) {
    DistributionLayout layout = new DistributionLayout(medium.root());
    assertThat(layout.consistencyProblems()).as("storage after kill -9").isEmpty();
    if (interrupted != null) {
      assertThat(layout.blobData(interrupted)).as("the interrupted blob").doesNotExist();
    }
    assertThat(medium.inFlight(VICTIM)).as("the killed upload's stored bytes").isNotEqualTo(RegistryMedium.InFlight.NONE);

    // a restart whose purge removes the killed upload (on S3 it aborts the multipart upload); pushes wait for the
    // next restart, since this purge would also remove any upload running over a second
    try (BerthProcess berth = medium.start(temp, PURGE_NOW)) {
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
          .untilAsserted(() -> {
            assertThat(medium.inFlight(VICTIM)).as("the killed upload after the purge")
                .isEqualTo(RegistryMedium.InFlight.NONE);
            assertThat(medium.uploadFiles(VICTIM)).as("the killed upload's objects after the purge").isEmpty();
          });
      assertThat(berth.process().isAlive()).isTrue();
    }

    try (BerthProcess berth = medium.start(temp, Map.of())) {
      RegistryHttp http = new RegistryHttp(berth.hostPort());
      if (interrupted != null) {
        assertThat(http.headStatus("/v2/victim/app/blobs/" + interrupted)).isEqualTo(404);
      }
      assertThat(http.tags("team/app")).containsExactly("v1");

      Path pulledImage = temp.resolve("pulled-earlier");
      skopeo.copy(Skopeo.docker(berth.hostPort(), "team/app", "v1"), Skopeo.oci(pulledImage, "v1"),
          CopyOption.PRESERVE_DIGESTS);
      new OciLayout(pulledImage).assertHoldsExactly("v1", earlierImage.manifest(), earlierImage.allDigests());
      Path pulledIndex = temp.resolve("pulled-earlier-multi");
      skopeo.copy(Skopeo.docker(berth.hostPort(), "team/multi", "v1"), Skopeo.oci(pulledIndex, "v1"),
          CopyOption.ALL, CopyOption.PRESERVE_DIGESTS);
      new OciLayout(pulledIndex).assertHoldsExactly("v1", earlierIndex.index(), earlierIndex.allDigests());

      BlobTransfer.Transferred fresh = new BlobTransfer(berth.hostPort())
          .push("victim/app", new GeneratedContent(7, 3 << 20), 3 << 20);
      assertThat(new BlobTransfer(berth.hostPort()).pull("victim/app", fresh.digest())).isEqualTo(fresh);
    }
    assertThat(layout.consistencyProblems()).as("storage after the restart").isEmpty();
  }

  /** On S3 the stored bytes of a running upload are parts of a multipart upload in progress; none on a directory. */
  private void assertInFlightShape(RegistryMedium.InFlight inFlight) {
    if (kind == Medium.S3) {
      assertThat(inFlight.multipartUploads()).as("multipart uploads in progress").isPositive();
    } else {
      assertThat(inFlight.multipartUploads()).isZero();
    }
  }
}
