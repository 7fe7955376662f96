package dev.berth.operator.nodeaccess;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.operator.nodeaccess.NodeAgentHostMounts.HostMount;
import dev.berth.operator.spec.ContainerdAccessSpec;
import dev.berth.operator.spec.NodeAccessSpec;
import dev.berth.operator.spec.NodeRuntime;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class NodeAgentHostMountsTest {

  @Test
  void containerdByDefaultNeedsItsDirectoryAndTheAgentState() {
    assertThat(NodeAgentHostMounts.forSpec(new NodeAccessSpec())).containsExactly(
        new HostMount("host-var-lib-berth-node-agent", "/var/lib/berth/node-agent", false),
        new HostMount("host-etc-containerd", "/etc/containerd", false));
  }

  @Test
  void eachRuntimeAddsOnlyItsOwnDirectories() {
    NodeAccessSpec spec = new NodeAccessSpec();
    spec.setRuntimes(List.of(NodeRuntime.docker, NodeRuntime.rke2));
    assertThat(NodeAgentHostMounts.forSpec(spec)).extracting(HostMount::hostPath, HostMount::readOnly)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("/var/lib/berth/node-agent", false),
            org.assertj.core.groups.Tuple.tuple("/etc/docker", false),
            org.assertj.core.groups.Tuple.tuple("/etc/rancher/rke2", false),
            org.assertj.core.groups.Tuple.tuple("/var/lib/rancher/rke2/agent/etc/containerd", true));
  }

  @Test
  void containerdPathsOutsideItsDirectoryAreMountedToo() {
    ContainerdAccessSpec containerd = new ContainerdAccessSpec();
    containerd.setConfigToml("/opt/containerd/etc/config.toml");
    containerd.setConfigPath("/srv/registry-hosts");
    NodeAccessSpec spec = new NodeAccessSpec();
    spec.setContainerd(containerd);
    assertThat(NodeAgentHostMounts.forSpec(spec)).extracting(HostMount::hostPath).containsExactly(
        "/var/lib/berth/node-agent", "/etc/containerd", "/opt/containerd/etc", "/srv/registry-hosts");

    containerd.setConfigPath("/etc/containerd/certs.d"); // inside /etc/containerd: no mount of its own
    containerd.setConfigToml(null);
    assertThat(NodeAgentHostMounts.forSpec(spec)).extracting(HostMount::hostPath)
        .containsExactly("/var/lib/berth/node-agent", "/etc/containerd");
  }

  @Test
  void volumeNamesAreDistinctDnsLabels() {
    ContainerdAccessSpec containerd = new ContainerdAccessSpec();
    containerd.setConfigPath("/srv/" + "a-very-long-directory-name-".repeat(3) + "hosts");
    NodeAccessSpec spec = new NodeAccessSpec();
    spec.setContainerd(containerd);
    spec.setRuntimes(List.of(NodeRuntime.containerd, NodeRuntime.docker, NodeRuntime.k3s));
    List<HostMount> mounts = NodeAgentHostMounts.forSpec(spec);
    Set<String> names = mounts.stream().map(HostMount::volume).collect(Collectors.toSet());
    assertThat(names).hasSize(mounts.size())
        .allSatisfy(name -> assertThat(name).matches("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?"));
    assertThat(mounts).allSatisfy(m -> assertThat(m.mountPath()).isEqualTo("/host" + m.hostPath()));
  }
}
