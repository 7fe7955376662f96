package dev.berth.operator.nodeagent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ContainerdConfigTest {
  /** containerd 1.6/1.7 `containerd config default` style, trimmed, with config_path set. */
  static final String V2_WITH_CONFIG_PATH = """
      version = 2
      root = "/var/lib/containerd"
      state = "/run/containerd"

      [grpc]
        address = "/run/containerd/containerd.sock"

      [plugins]
        [plugins."io.containerd.grpc.v1.cri"]
          sandbox_image = "registry.k8s.io/pause:3.9"
          [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
            SystemdCgroup = true
          [plugins."io.containerd.grpc.v1.cri".registry]
            config_path = "/etc/containerd/certs.d:/etc/docker/certs.d"
            [plugins."io.containerd.grpc.v1.cri".registry.auths]
            [plugins."io.containerd.grpc.v1.cri".registry.configs]
            [plugins."io.containerd.grpc.v1.cri".registry.headers]
            [plugins."io.containerd.grpc.v1.cri".registry.mirrors]
      """;

  /** The default of many distributions: the registry table exists but config_path is empty. */
  static final String V2_UNSET = """
      version = 2
      # kubeadm node
      [plugins."io.containerd.grpc.v1.cri"]
        sandbox_image = "registry.k8s.io/pause:3.9"
        [plugins."io.containerd.grpc.v1.cri".registry]
          config_path = ""
        [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
          SystemdCgroup = true
      """;

  /** containerd 2.x `config default` style with single-quoted keys. */
  static final String V3_WITH_CONFIG_PATH = """
      version = 3
      root = '/var/lib/containerd'

      [plugins]
        [plugins.'io.containerd.cri.v1.images']
          snapshotter = 'overlayfs'
          [plugins.'io.containerd.cri.v1.images'.pinned_images]
            sandbox = 'registry.k8s.io/pause:3.10'
          [plugins.'io.containerd.cri.v1.images'.registry]
            config_path = '/etc/containerd/certs.d'
        [plugins.'io.containerd.cri.v1.runtime']
          enable_selinux = false
      """;

  /** A version 2 file still using the deprecated inline mirrors. */
  static final String V2_INLINE_MIRRORS = """
      version = 2
      [plugins."io.containerd.grpc.v1.cri".registry.mirrors."docker.io"]
        endpoint = ["https://mirror.gcr.io"]
      """;

  @Test
  void readsConfigPathFromVersion2() {
    ContainerdConfig config = ContainerdConfig.parse(V2_WITH_CONFIG_PATH);
    assertThat(config.version()).isEqualTo(2);
    assertThat(config.configPaths()).containsExactly("/etc/containerd/certs.d", "/etc/docker/certs.d");
    assertThat(config.inlineSettings()).isEmpty();
  }

  @Test
  void readsConfigPathFromVersion3() {
    ContainerdConfig config = ContainerdConfig.parse(V3_WITH_CONFIG_PATH);
    assertThat(config.version()).isEqualTo(3);
    assertThat(config.configPaths()).containsExactly("/etc/containerd/certs.d");
    assertThat(config.configPathKey()).isEqualTo("plugins.\"io.containerd.cri.v1.images\".registry.config_path");
  }

  @Test
  void readsVersion1ShortPluginNames() {
    ContainerdConfig config = ContainerdConfig.parse("""
        [plugins.cri.registry]
          config_path = "/etc/containerd/certs.d"
        """);
    assertThat(config.version()).isEqualTo(1);
    assertThat(config.configPaths()).containsExactly("/etc/containerd/certs.d");
  }

  @Test
  void reportsAnEmptyConfigPathAsUnset() {
    ContainerdConfig config = ContainerdConfig.parse(V2_UNSET);
    assertThat(config.configPathSet()).isFalse();
    assertThat(config.configPathKey()).isEqualTo("plugins.\"io.containerd.grpc.v1.cri\".registry.config_path");
  }

  @Test
  void aVersion2TableInAVersion3FileDoesNotCount() {
    ContainerdConfig config = ContainerdConfig.parse("version = 3\n"
        + "[plugins.\"io.containerd.grpc.v1.cri\".registry]\nconfig_path = \"/etc/containerd/certs.d\"\n");
    assertThat(config.configPathSet()).isFalse();
  }

  @Test
  void noticesInlineMirrors() {
    assertThat(ContainerdConfig.parse(V2_INLINE_MIRRORS).inlineSettings()).isEqualTo(List.of("mirrors"));
  }

  @Test
  void refusesBrokenFilesAndUnknownVersions() {
    assertThatThrownBy(() -> ContainerdConfig.parse("version = 2\n[plugins\n"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not valid TOML");
    assertThatThrownBy(() -> ContainerdConfig.parse("version = 7\n"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("version 7");
  }
}
