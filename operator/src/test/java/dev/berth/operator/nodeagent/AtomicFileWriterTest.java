package dev.berth.operator.nodeagent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFileWriterTest {
  @TempDir
  Path dir;
  private final AtomicFileWriter writer = new AtomicFileWriter();

  @Test
  void createsReplacesAndSkipsUnchangedContent() throws Exception {
    Path file = dir.resolve("a/b/registries.yaml");

    assertThat(writer.write(file, bytes("one"))).isEqualTo(AtomicFileWriter.Outcome.CREATED);
    assertThat(writer.write(file, bytes("one"))).isEqualTo(AtomicFileWriter.Outcome.UNCHANGED);
    assertThat(writer.write(file, bytes("two"))).isEqualTo(AtomicFileWriter.Outcome.REPLACED);

    assertThat(file).hasContent("two");
    assertThat(AtomicFileWriter.backupOf(file)).as("plain writes keep no backup").doesNotExist();
    try (var entries = Files.list(file.getParent())) {
      assertThat(entries).as("no temp files left").containsExactly(file);
    }
  }

  @Test
  void backsUpTheReplacedContentAndKeepsPermissions() throws Exception {
    Path file = dir.resolve("registries.yaml");
    Files.writeString(file, "user: settings\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));

    writer.writeWithBackup(file, bytes("merged: true\n"));

    assertThat(AtomicFileWriter.backupOf(file)).hasContent("user: settings\n");
    assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(Files.getPosixFilePermissions(AtomicFileWriter.backupOf(file)))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
  }

  @Test
  void anUnwritableDirectoryIsAClearError() throws Exception {
    Path blocked = dir.resolve("not-a-dir");
    Files.writeString(blocked, "a file where a directory should be");

    assertThatThrownBy(() -> writer.write(blocked.resolve("hosts.toml"), bytes("x")))
        .isInstanceOf(UncheckedIOException.class).hasMessageContaining(blocked + "/hosts.toml").hasMessageContaining("Not a directory");
  }

  @Test
  void hostPathsCannotEscapeTheHostRoot() {
    var hostFs = new HostFs(dir);
    assertThat(hostFs.local("/etc/docker/daemon.json")).isEqualTo(dir.resolve("etc/docker/daemon.json"));
    assertThatThrownBy(() -> hostFs.local("/../../etc/shadow"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("escapes");
    assertThatThrownBy(() -> hostFs.local("etc/docker"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not absolute");
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
