package dev.berth.registry.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

class ExternalToolTest {
  @TempDir Path bin;

  @Test
  void findsAnExecutableOnPath() throws Exception {
    Path tool = Files.createFile(bin.resolve("fake-tool"), PosixFilePermissions.asFileAttribute(
        PosixFilePermissions.fromString("rwxr-xr-x")));

    ExternalTool found = ExternalTool.require("fake-tool", "fake", Map.of("PATH", "/nonexistent:" + bin, "CI", "true"));

    assertThat(found.path()).isEqualTo(tool);
  }

  @Test
  void ignoresAFileThatIsNotExecutable() throws Exception {
    Files.createFile(bin.resolve("plain-file"));

    assertThat(ExternalTool.findOnPath("plain-file", bin.toString())).isEmpty();
  }

  @Test
  void missingToolFailsUnderCi() {
    assertThatThrownBy(() -> ExternalTool.require("no-such-tool", "no-such-package",
        Map.of("PATH", bin.toString(), "CI", "true")))
        .isInstanceOf(AssertionFailedError.class)
        .hasMessageContaining("CI=true")
        .hasMessageContaining("no-such-tool")
        .hasMessageContaining("no-such-package");
  }

  @Test
  void missingToolSkipsOutsideCiWithTheReason() {
    assertThatThrownBy(() -> ExternalTool.require("no-such-tool", "no-such-package", Map.of("PATH", bin.toString())))
        .isInstanceOf(TestAbortedException.class)
        .hasMessageContaining("no-such-tool")
        .hasMessageContaining("no-such-package");
  }

  @Test
  void refusesAPathWhereANameBelongs() {
    assertThatThrownBy(() -> ExternalTool.findOnPath("/usr/bin/skopeo", "/usr/bin"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
