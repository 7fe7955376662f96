package dev.berth.registry.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Spool files of fetches a killed process left are removed once old; a running fetch's (fresh) spool stays. */
class SpoolLeftoversTest {
  @TempDir Path spool;

  @Test
  void oldSpoolFilesGoFreshOnesAndOtherFilesStay() throws Exception {
    Instant now = Instant.parse("2026-12-03T12:00:00Z");
    Path leftover = Files.writeString(spool.resolve("a.spool"), "left by a killed process");
    Files.setLastModifiedTime(leftover, FileTime.from(now.minus(BlobFetcher.LEFTOVER_AGE).minusSeconds(1)));
    Path running = Files.writeString(spool.resolve("b.spool"), "being written");
    Files.setLastModifiedTime(running, FileTime.from(now.minusSeconds(5)));
    Path other = Files.writeString(spool.resolve("notes.txt"), "not a spool");
    Files.setLastModifiedTime(other, FileTime.from(now.minus(BlobFetcher.LEFTOVER_AGE).minusSeconds(60)));

    assertThat(BlobFetcher.removeLeftovers(spool, now.minus(BlobFetcher.LEFTOVER_AGE))).isEqualTo(1);
    assertThat(leftover).doesNotExist();
    assertThat(running).exists();
    assertThat(other).exists();
  }
}
