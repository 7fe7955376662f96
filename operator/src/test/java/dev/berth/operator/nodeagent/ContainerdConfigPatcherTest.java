package dev.berth.operator.nodeagent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ContainerdConfigPatcherTest {
  private final ContainerdConfigPatcher patcher = new ContainerdConfigPatcher();

  @Test
  void replacesAnEmptyConfigPathAndKeepsCommentsAndLayout() {
    var patched = patcher.patch("/etc/containerd/config.toml", ContainerdConfigTest.V2_UNSET, "/etc/containerd/certs.d");

    assertThat(ContainerdConfig.parse(patched.text()).configPaths()).containsExactly("/etc/containerd/certs.d");
    assertThat(patched.text()).contains("# kubeadm node").contains("SystemdCgroup = true")
        .doesNotContain("config_path = \"\"").doesNotContain("mirrors");
    assertThat(patched.patch().replacedLine()).isEqualTo("    config_path = \"\"");
    assertThat(patcher.unpatch(patched.text(), patched.patch())).contains(ContainerdConfigTest.V2_UNSET);
  }

  @Test
  void appendsTheRegistryTableWhenMissing() {
    String original = "version = 2\n[plugins.\"io.containerd.grpc.v1.cri\"]\n  sandbox_image = \"pause:3.9\"\n";

    var patched = patcher.patch("/etc/containerd/config.toml", original, "/etc/containerd/certs.d");

    assertThat(ContainerdConfig.parse(patched.text()).configPaths()).containsExactly("/etc/containerd/certs.d");
    assertThat(patched.text()).startsWith(original.stripTrailing()).endsWith("\n");
    assertThat(patcher.unpatch(patched.text(), patched.patch())).contains(original);
  }

  @Test
  void insertsIntoAnExistingVersion3TableWithSingleQuotedKeys() {
    String original = ContainerdConfigTest.V3_WITH_CONFIG_PATH.replaceAll(
        "(?m)^ *config_path = '/etc/containerd/certs.d'\n", "");
    assertThat(original).doesNotContain("config_path");

    var patched = patcher.patch("/etc/containerd/config.toml", original, "/etc/containerd/certs.d");

    ContainerdConfig config = ContainerdConfig.parse(patched.text());
    assertThat(config.version()).isEqualTo(3);
    assertThat(config.configPaths()).containsExactly("/etc/containerd/certs.d");
    assertThat(patched.patch().replacedLine()).isNull();
    assertThat(patcher.unpatch(patched.text(), patched.patch())).contains(original);
  }

  @Test
  void unpatchKeepsWhatTheUserChangedSince() {
    var patched = patcher.patch("/etc/containerd/config.toml", ContainerdConfigTest.V2_UNSET, "/etc/containerd/certs.d");
    String edited = patched.text().replace("pause:3.9", "pause:3.10");

    String restored = patcher.unpatch(edited, patched.patch()).orElseThrow();

    assertThat(restored).isEqualTo(ContainerdConfigTest.V2_UNSET.replace("pause:3.9", "pause:3.10"));
    assertThat(patcher.unpatch(restored, patched.patch())).as("lines already gone").isEmpty();
  }

  @Test
  void createsAMinimalFileWhenThereIsNone() {
    var patched = patcher.patch("/etc/containerd/config.toml", null, "/etc/containerd/certs.d");

    ContainerdConfig config = ContainerdConfig.parse(patched.text());
    assertThat(config.version()).isEqualTo(2);
    assertThat(config.configPaths()).containsExactly("/etc/containerd/certs.d");
    assertThat(patched.patch().createdFile()).isTrue();
  }

  @Test
  void refusesToAddConfigPathBesideInlineMirrors() {
    assertThatThrownBy(() -> patcher.patch("/etc/containerd/config.toml", ContainerdConfigTest.V2_INLINE_MIRRORS,
        "/etc/containerd/certs.d"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("inline registry mirrors").hasMessageContaining("hosts.toml");
  }

  @Test
  void refusesWhenConfigPathIsAlreadySet() {
    assertThatThrownBy(() -> patcher.patch("/etc/containerd/config.toml", ContainerdConfigTest.V2_WITH_CONFIG_PATH,
        "/etc/containerd/certs.d"))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("already sets");
  }

  @Test
  void refusesAnEditItCannotVerify() {
    // the registry table is written with dotted keys inside the plugin table: a text edit would define it twice
    String dotted = "version = 2\n[plugins.\"io.containerd.grpc.v1.cri\"]\n  registry.config_path = \"\"\n";
    assertThatThrownBy(() -> patcher.patch("/etc/containerd/config.toml", dotted, "/etc/containerd/certs.d"))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("by hand");
  }
}
