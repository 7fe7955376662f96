package dev.berth.operator.nodeagent;

import dev.berth.operator.nodeaccess.NodeAccessPlanTest;
import dev.berth.operator.nodeaccess.NodeAccessPlan;
import dev.berth.operator.nodeaccess.Runtime;
import dev.berth.operator.nodeaccess.RuntimeOutcome;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContainerdWriterTest {
  private static final TomlMapper TOML = new TomlMapper();

  @TempDir
  Path root;
  private ContainerdWriter writer;
  private Path configToml;

  @BeforeEach
  void setUp() throws Exception {
    writer = new ContainerdWriter(new HostFs(root), Clock.systemUTC());
    configToml = root.resolve("etc/containerd/config.toml");
    Files.createDirectories(configToml.getParent());
  }

  @Test
  void writesHostsTomlMappingEveryNameToTheEndpointWithTheCa() throws Exception {
    Files.writeString(configToml, ContainerdConfigTest.V2_WITH_CONFIG_PATH);
    NodeAccessPlan plan = NodeAccessPlanTest.plan(true, List.of(Runtime.CONTAINERD));

    WriterResult result = writer.apply(plan, RuntimeFootprint.empty());

    assertThat(result.report().outcome()).isEqualTo(RuntimeOutcome.CONFIGURED);
    assertThat(result.report().message()).isEmpty();
    for (String host : plan.hosts()) {
      Path dir = root.resolve("etc/containerd/certs.d/" + host);
      JsonNode hostsToml = TOML.readTree(dir.resolve("hosts.toml").toFile());
      assertThat(hostsToml.get("server").asText()).isEqualTo("https://" + host);
      assertThat(hostsToml.get("host").size()).isEqualTo(1);
      JsonNode endpoint = hostsToml.get("host").get("https://10.96.12.34:5000");
      assertThat(endpoint.get("capabilities")).extracting(JsonNode::asText).containsExactly("pull", "resolve");
      assertThat(endpoint.get("ca").asText()).isEqualTo("/etc/containerd/certs.d/" + host + "/ca.crt");
      assertThat(endpoint.has("skip_verify")).isFalse();
      assertThat(dir.resolve("ca.crt")).hasContent(plan.caPem());
    }
    assertThat(configToml).hasContent(ContainerdConfigTest.V2_WITH_CONFIG_PATH);
    assertThat(root.resolve("etc/docker/certs.d")).as("only the first config_path directory").doesNotExist();
  }

  static NodeAccessPlan withMirrors(NodeAccessPlan base, List<NodeAccessPlan.Mirror> mirrors) {
    return new NodeAccessPlan(true, base.registry(), base.hosts(), base.endpoint(), base.tls(), base.caPem(),
        base.runtimes(), base.containerd(), base.nodeLocal(), mirrors);
  }

  @Test
  void mirrorsEachUpstreamHostThroughTheRegistryWithTheUpstreamAsFallbackAndTakesOnlyThatAway() throws Exception {
    Files.writeString(configToml, ContainerdConfigTest.V2_WITH_CONFIG_PATH);
    NodeAccessPlan base = NodeAccessPlanTest.plan(true, List.of(Runtime.CONTAINERD));
    NodeAccessPlan plan = withMirrors(base, List.of(
        new NodeAccessPlan.Mirror("docker.io", "https://registry-1.docker.io"),
        new NodeAccessPlan.Mirror("ghcr.io", "https://ghcr.io")));
    assertThat(NodeAccessPlan.parse(plan.toJson())).as("the plan survives its ConfigMap").isEqualTo(plan);
    assertThat(base.toJson()).as("no mirrors, no key: older agents read the plan").doesNotContain("mirrors");

    WriterResult result = writer.apply(plan, RuntimeFootprint.empty());

    assertThat(result.report().outcome()).isEqualTo(RuntimeOutcome.CONFIGURED);
    Path dir = root.resolve("etc/containerd/certs.d/docker.io");
    JsonNode hostsToml = TOML.readTree(dir.resolve("hosts.toml").toFile());
    assertThat(hostsToml.get("server").asText()).isEqualTo("https://registry-1.docker.io");
    assertThat(hostsToml.get("host").size()).isEqualTo(1);
    JsonNode berth = hostsToml.get("host").get("https://10.96.12.34:5000");
    assertThat(berth.get("capabilities")).extracting(JsonNode::asText).containsExactly("pull", "resolve");
    assertThat(berth.get("ca").asText()).isEqualTo("/etc/containerd/certs.d/docker.io/berth-ca.crt");
    assertThat(dir.resolve("berth-ca.crt")).hasContent(plan.caPem());
    assertThat(root.resolve("etc/containerd/certs.d/ghcr.io/hosts.toml")).exists();

    // the upstream dropped from the spec: its mirror goes, the registry's own names stay
    WriterResult fewer = writer.apply(base, result.footprint());
    assertThat(dir).doesNotExist();
    assertThat(root.resolve("etc/containerd/certs.d/ghcr.io")).doesNotExist();
    assertThat(root.resolve("etc/containerd/certs.d/" + base.hosts().get(0) + "/hosts.toml")).exists();
    writer.remove(fewer.footprint());
    assertThat(root.resolve("etc/containerd/certs.d")).as("the agent made it, so it takes it away").doesNotExist();
  }

  @Test
  void plainHttpMapsToAnHttpHostWithoutCa() throws Exception {
    Files.writeString(configToml, ContainerdConfigTest.V3_WITH_CONFIG_PATH);

    writer.apply(NodeAccessPlanTest.plan(false, List.of(Runtime.CONTAINERD)), RuntimeFootprint.empty());

    Path dir = root.resolve("etc/containerd/certs.d/main.registry.svc:5000");
    JsonNode hostsToml = TOML.readTree(dir.resolve("hosts.toml").toFile());
    assertThat(hostsToml.get("server").asText()).isEqualTo("http://main.registry.svc:5000");
    JsonNode endpoint = hostsToml.get("host").get("http://10.96.12.34:5000");
    assertThat(endpoint.has("ca")).isFalse();
    assertThat(dir.resolve("ca.crt")).doesNotExist();
  }

  @Test
  void isIdempotentAndRemovesWhatItAddedButNotTheUsersOtherHosts() throws Exception {
    Files.writeString(configToml, ContainerdConfigTest.V2_WITH_CONFIG_PATH);
    Path userHost = root.resolve("etc/containerd/certs.d/docker.io/hosts.toml");
    Files.createDirectories(userHost.getParent());
    Files.writeString(userHost, "server = \"https://registry-1.docker.io\"\n");
    NodeAccessPlan plan = NodeAccessPlanTest.plan(true, List.of(Runtime.CONTAINERD));
    WriterResult first = writer.apply(plan, RuntimeFootprint.empty());
    Path ours = root.resolve("etc/containerd/certs.d/main.registry.svc:5000/hosts.toml");
    FileTime old = FileTime.fromMillis(1_000_000);
    Files.setLastModifiedTime(ours, old);

    WriterResult second = writer.apply(plan, first.footprint());
    assertThat(Files.getLastModifiedTime(ours)).isEqualTo(old);
    assertThat(second.footprint()).isEqualTo(first.footprint());

    WriterResult removed = writer.remove(second.footprint());
    assertThat(removed.report().outcome()).isEqualTo(RuntimeOutcome.REMOVED);
    assertThat(ours.getParent()).doesNotExist();
    assertThat(root.resolve("etc/containerd/certs.d/main.registry.svc.cluster.local:5000")).doesNotExist();
    assertThat(userHost).hasContent("server = \"https://registry-1.docker.io\"\n");
  }

  @Test
  void aChangedPlanRemovesNamesNoLongerWanted() throws Exception {
    Files.writeString(configToml, ContainerdConfigTest.V2_WITH_CONFIG_PATH);
    NodeAccessPlan both = NodeAccessPlanTest.plan(false, List.of(Runtime.CONTAINERD));
    WriterResult first = writer.apply(both, RuntimeFootprint.empty());
    NodeAccessPlan one = new NodeAccessPlan(true, both.registry(), List.of("main.registry.svc.cluster.local:5000"),
        "10.96.0.99:5000", false, null, both.runtimes(), null, null);

    writer.apply(one, first.footprint());

    assertThat(root.resolve("etc/containerd/certs.d/main.registry.svc:5000")).doesNotExist();
    JsonNode hostsToml = TOML.readTree(
        root.resolve("etc/containerd/certs.d/main.registry.svc.cluster.local:5000/hosts.toml").toFile());
    assertThat(hostsToml.get("host").has("http://10.96.0.99:5000")).isTrue();
  }

  @Test
  void reportsAnUnsetConfigPathAndWritesNothing() throws Exception {
    Files.writeString(configToml, ContainerdConfigTest.V2_UNSET);

    WriterResult result = writer.apply(NodeAccessPlanTest.plan(true, List.of(Runtime.CONTAINERD)),
        RuntimeFootprint.empty());

    assertThat(result.report().outcome()).isEqualTo(RuntimeOutcome.FAILED);
    assertThat(result.report().message())
        .contains("plugins.\"io.containerd.grpc.v1.cri\".registry.config_path is not set")
        .contains("patchConfigToml");
    assertThat(root.resolve("etc/containerd/certs.d")).doesNotExist();
    assertThat(configToml).hasContent(ContainerdConfigTest.V2_UNSET);
  }

  @Test
  void reportsAMissingConfigToml() throws Exception {
    WriterResult result = writer.apply(NodeAccessPlanTest.plan(true, List.of(Runtime.CONTAINERD)),
        RuntimeFootprint.empty());
    assertThat(result.report().outcome()).isEqualTo(RuntimeOutcome.FAILED);
    assertThat(result.report().message()).contains("/etc/containerd/config.toml does not exist");
  }

  @Test
  void theOptInPatchSetsConfigPathAsksForARestartAndIsUndoneOnRemoval() throws Exception {
    Files.writeString(configToml, ContainerdConfigTest.V2_UNSET);
    NodeAccessPlan base = NodeAccessPlanTest.plan(true, List.of(Runtime.CONTAINERD));
    NodeAccessPlan plan = new NodeAccessPlan(true, base.registry(), base.hosts(), base.endpoint(), true, base.caPem(),
        base.runtimes(), new NodeAccessPlan.ContainerdOptions(true, null, null), null);

    WriterResult result = writer.apply(plan, RuntimeFootprint.empty());

    assertThat(result.report().outcome()).isEqualTo(RuntimeOutcome.RESTART_PENDING);
    assertThat(result.report().message()).contains("restart containerd");
    assertThat(ContainerdConfig.parse(Files.readString(configToml)).configPaths())
        .containsExactly("/etc/containerd/certs.d");
    assertThat(Files.readString(AtomicFileWriter.backupOf(configToml))).isEqualTo(ContainerdConfigTest.V2_UNSET);
    assertThat(root.resolve("etc/containerd/certs.d/main.registry.svc:5000/hosts.toml")).exists();
    assertThat(writer.apply(plan, result.footprint()).footprint().configPatch()).isEqualTo(
        result.footprint().configPatch());

    writer.remove(result.footprint());

    assertThat(configToml).hasContent(ContainerdConfigTest.V2_UNSET);
    assertThat(root.resolve("etc/containerd/certs.d")).doesNotExist();
  }

  @Test
  void theOptInPatchRefusesInlineMirrors() throws Exception {
    Files.writeString(configToml, ContainerdConfigTest.V2_INLINE_MIRRORS);
    NodeAccessPlan base = NodeAccessPlanTest.plan(false, List.of(Runtime.CONTAINERD));
    NodeAccessPlan plan = new NodeAccessPlan(true, base.registry(), base.hosts(), base.endpoint(), false, null,
        base.runtimes(), new NodeAccessPlan.ContainerdOptions(true, null, null), null);

    WriterResult result = writer.apply(plan, RuntimeFootprint.empty());

    assertThat(result.report().outcome()).isEqualTo(RuntimeOutcome.FAILED);
    assertThat(result.report().message()).contains("inline registry mirrors");
    assertThat(configToml).hasContent(ContainerdConfigTest.V2_INLINE_MIRRORS);
  }

  @Test
  void aUsersHostsTomlForTheSameNameIsBackedUpAndRestored() throws Exception {
    Files.writeString(configToml, ContainerdConfigTest.V2_WITH_CONFIG_PATH);
    Path theirs = root.resolve("etc/containerd/certs.d/main.registry.svc:5000/hosts.toml");
    Files.createDirectories(theirs.getParent());
    Files.writeString(theirs, "server = \"http://old:5000\"\n");

    WriterResult result = writer.apply(NodeAccessPlanTest.plan(false, List.of(Runtime.CONTAINERD)),
        RuntimeFootprint.empty());
    assertThat(AtomicFileWriter.backupOf(theirs)).hasContent("server = \"http://old:5000\"\n");

    writer.remove(result.footprint());
    assertThat(theirs).hasContent("server = \"http://old:5000\"\n");
    assertThat(AtomicFileWriter.backupOf(theirs)).doesNotExist();
  }
}
