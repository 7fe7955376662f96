package dev.berth.operator.nodeagent;

import dev.berth.operator.nodeaccess.NodeAccessPlanTest;
import dev.berth.operator.nodeaccess.NodeAccessPlan;
import dev.berth.operator.nodeaccess.Runtime;
import dev.berth.operator.nodeaccess.RuntimeOutcome;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class K3sWriterTest {
  /** A registries.yaml as found on real k3s nodes: a docker.io mirror with a rewrite, auth for a private registry. */
  static final String USER_REGISTRIES_YAML = """
      # mirrors for the edge sites
      mirrors:
        docker.io:
          endpoint:
            - "https://mirror.example.com:5000"
          rewrite:
            "^rancher/(.*)": "mirrorproject/rancher-images/$1"
        "registry.internal:5000":
          endpoint:
            - "https://registry.internal:5000"
      configs:
        "registry.internal:5000":
          auth:
            username: deploy
            password: "s3cr3t"
          tls:
            insecure_skip_verify: false
            ca_file: /etc/ssl/internal-ca.pem
        "mirror.example.com:5000":
          tls:
            ca_file: /etc/ssl/mirror-ca.pem
      """;
  private static final YAMLMapper YAML = new YAMLMapper();

  @TempDir
  Path root;
  private K3sWriter writer;
  private Path registriesYaml;

  @BeforeEach
  void setUp() {
    writer = new K3sWriter(Runtime.K3S, new HostFs(root));
    registriesYaml = root.resolve("etc/rancher/k3s/registries.yaml");
  }

  @Test
  void mergesMirrorsAndConfigsKeepingTheUsersAndReportsRestartPending() throws Exception {
    writeUserFile();
    NodeAccessPlan plan = NodeAccessPlanTest.plan(true, List.of(Runtime.K3S));

    WriterResult result = writer.apply(plan, RuntimeFootprint.empty());

    assertThat(result.report().outcome()).isEqualTo(RuntimeOutcome.RESTART_PENDING);
    assertThat(result.report().message()).contains("only when it starts").contains("systemctl restart k3s");
    JsonNode merged = YAML.readTree(registriesYaml.toFile());
    for (String host : plan.hosts()) {
      assertThat(merged.at("/mirrors/" + host + "/endpoint/0").asText()).isEqualTo("https://10.96.12.34:5000");
    }
    assertThat(merged.path("configs").path("10.96.12.34:5000").at("/tls/ca_file").asText())
        .isEqualTo("/etc/rancher/k3s/berth/registry_main/ca.crt");
    assertThat(root.resolve("etc/rancher/k3s/berth/registry_main/ca.crt")).hasContent(plan.caPem());
    assertThat(withoutAgentSettings(merged)).isEqualTo(YAML.readTree(USER_REGISTRIES_YAML));
    assertThat(merged.at("/configs/registry.internal:5000/auth/password").isTextual()).isTrue();
    assertThat(Files.readString(AtomicFileWriter.backupOf(registriesYaml))).isEqualTo(USER_REGISTRIES_YAML);
  }

  @Test
  void mirrorsUpstreamHostsThroughTheRegistryAndRemovesExactlyThat() throws Exception {
    NodeAccessPlan base = NodeAccessPlanTest.plan(false, List.of(Runtime.K3S));
    NodeAccessPlan plan = ContainerdWriterTest.withMirrors(base,
        List.of(new NodeAccessPlan.Mirror("quay.io", "https://quay.io")));

    WriterResult result = writer.apply(plan, RuntimeFootprint.empty());

    JsonNode merged = YAML.readTree(registriesYaml.toFile());
    assertThat(merged.at("/mirrors/quay.io/endpoint")).extracting(JsonNode::asText)
        .containsExactly("http://10.96.12.34:5000");
    assertThat(result.report().message()).contains("quay.io");
    writer.remove(result.footprint());
    assertThat(registriesYaml.toFile().exists() ? YAML.readTree(registriesYaml.toFile()).at("/mirrors/quay.io").isMissingNode()
        : true).isTrue();
  }

  @Test
  void reportsConfiguredOnceK3sGeneratedItsContainerdFiles() throws Exception {
    NodeAccessPlan plan = NodeAccessPlanTest.plan(false, List.of(Runtime.K3S));
    WriterResult first = writer.apply(plan, RuntimeFootprint.empty());
    assertThat(first.report().outcome()).isEqualTo(RuntimeOutcome.RESTART_PENDING);
    for (String host : plan.hosts()) {
      Path generated = root.resolve("var/lib/rancher/k3s/agent/etc/containerd/certs.d/" + host + "/hosts.toml");
      Files.createDirectories(generated.getParent());
      Files.writeString(generated, "server = \"https://" + host + "\"\n[host.\"http://10.96.12.34:5000\"]\n");
    }

    WriterResult second = writer.apply(plan, first.footprint());

    assertThat(second.report().outcome()).isEqualTo(RuntimeOutcome.CONFIGURED);
  }

  @Test
  void isIdempotentAndRemovesExactlyWhatItAdded() throws Exception {
    writeUserFile();
    NodeAccessPlan plan = NodeAccessPlanTest.plan(true, List.of(Runtime.K3S));
    WriterResult first = writer.apply(plan, RuntimeFootprint.empty());
    String afterFirst = Files.readString(registriesYaml);
    Files.delete(AtomicFileWriter.backupOf(registriesYaml));

    WriterResult second = writer.apply(plan, first.footprint());
    assertThat(Files.readString(registriesYaml)).isEqualTo(afterFirst);
    assertThat(AtomicFileWriter.backupOf(registriesYaml)).as("no rewrite, so no new backup").doesNotExist();

    WriterResult removed = writer.remove(second.footprint());
    assertThat(removed.report().outcome()).isEqualTo(RuntimeOutcome.REMOVED);
    assertThat(YAML.readTree(registriesYaml.toFile())).isEqualTo(YAML.readTree(USER_REGISTRIES_YAML));
    assertThat(root.resolve("etc/rancher/k3s/berth")).doesNotExist();
  }

  @Test
  void aUsersOwnMirrorForTheSameNameIsAConflictNotOverwritten() throws Exception {
    Files.createDirectories(registriesYaml.getParent());
    String user = "mirrors:\n  main.registry.svc:5000:\n    endpoint:\n      - https://elsewhere:5000\n";
    Files.writeString(registriesYaml, user);

    WriterResult result = writer.apply(NodeAccessPlanTest.plan(false, List.of(Runtime.K3S)),
        RuntimeFootprint.empty());

    assertThat(result.report().outcome()).isEqualTo(RuntimeOutcome.FAILED);
    assertThat(result.report().message()).contains("mirrors.\"main.registry.svc:5000\".endpoint");
    JsonNode merged = YAML.readTree(registriesYaml.toFile());
    assertThat(merged.at("/mirrors/main.registry.svc:5000/endpoint/0").asText()).isEqualTo("https://elsewhere:5000");
    writer.remove(result.footprint());
    assertThat(YAML.readTree(registriesYaml.toFile())).isEqualTo(YAML.readTree(user));
  }

  @Test
  void rke2UsesItsOwnDirectory() {
    var rke2 = new K3sWriter(Runtime.RKE2, new HostFs(root));
    rke2.apply(NodeAccessPlanTest.plan(false, List.of(Runtime.RKE2)), RuntimeFootprint.empty());
    assertThat(root.resolve("etc/rancher/rke2/registries.yaml")).exists();
    assertThat(registriesYaml).doesNotExist();
  }

  private void writeUserFile() throws Exception {
    Files.createDirectories(registriesYaml.getParent());
    Files.writeString(registriesYaml, USER_REGISTRIES_YAML);
  }

  private static JsonNode withoutAgentSettings(JsonNode merged) {
    var copy = merged.deepCopy();
    var mirrors = (com.fasterxml.jackson.databind.node.ObjectNode) copy.get("mirrors");
    mirrors.remove(List.of("main.registry.svc.cluster.local:5000", "main.registry.svc:5000"));
    ((com.fasterxml.jackson.databind.node.ObjectNode) copy.get("configs")).remove("10.96.12.34:5000");
    return copy;
  }
}
