package dev.berth.operator.nodeagent;

import dev.berth.operator.nodeaccess.NodeAccessPlanTest;
import dev.berth.operator.nodeaccess.NodeAccessPlan;
import dev.berth.operator.nodeaccess.Runtime;
import dev.berth.operator.nodeaccess.RuntimeOutcome;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DockerWriterTest {
  /** A daemon.json as found on real nodes: logging, other insecure registries, mirrors, address pools. */
  static final String USER_DAEMON_JSON = """
      {
        "log-driver": "json-file",
        "log-opts": {"max-size": "10m", "max-file": "3", "labels": "production"},
        "exec-opts": ["native.cgroupdriver=systemd"],
        "insecure-registries": ["10.0.0.5:5000", "main.registry.svc:5000"],
        "registry-mirrors": ["https://mirror.gcr.io"],
        "default-address-pools": [{"base": "172.30.0.0/16", "size": 24}],
        "live-restore": true,
        "max-concurrent-downloads": 6
      }
      """;
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path root;
  private DockerWriter writer;
  private Path daemonJson;

  @BeforeEach
  void setUp() {
    writer = new DockerWriter(new HostFs(root), Clock.systemUTC());
    daemonJson = root.resolve("etc/docker/daemon.json");
  }

  @Test
  void aDockerHubUpstreamBecomesARegistryMirrorAndOnlyItIsTakenAwayAgain() throws Exception {
    Files.createDirectories(daemonJson.getParent());
    Files.writeString(daemonJson, USER_DAEMON_JSON);
    NodeAccessPlan plan = ContainerdWriterTest.withMirrors(NodeAccessPlanTest.plan(false, List.of(Runtime.DOCKER)),
        List.of(new NodeAccessPlan.Mirror("docker.io", "https://registry-1.docker.io"),
            new NodeAccessPlan.Mirror("ghcr.io", "https://ghcr.io")));

    WriterResult result = writer.apply(plan, RuntimeFootprint.empty());

    JsonNode merged = JSON.readTree(daemonJson.toFile());
    // Docker mirrors Docker Hub only: ghcr.io gets nothing
    assertThat(merged.get("registry-mirrors")).extracting(JsonNode::asText)
        .containsExactly("https://mirror.gcr.io", "http://10.96.12.34:5000");
    assertThat(merged.get("insecure-registries")).extracting(JsonNode::asText).contains("10.96.12.34:5000");
    assertThat(result.report().message()).contains("registry-mirrors");

    writer.remove(result.footprint());
    assertThat(JSON.readTree(daemonJson.toFile())).isEqualTo(JSON.readTree(USER_DAEMON_JSON));
  }

  @Test
  void withTlsTheMirrorIsTrustedThroughCertsD() throws Exception {
    NodeAccessPlan plan = ContainerdWriterTest.withMirrors(NodeAccessPlanTest.plan(true, List.of(Runtime.DOCKER)),
        List.of(new NodeAccessPlan.Mirror("docker.io", "https://registry-1.docker.io")));

    WriterResult result = writer.apply(plan, RuntimeFootprint.empty());

    assertThat(JSON.readTree(daemonJson.toFile()).get("registry-mirrors")).extracting(JsonNode::asText)
        .containsExactly("https://10.96.12.34:5000");
    assertThat(root.resolve("etc/docker/certs.d/10.96.12.34:5000/ca.crt")).hasContent(plan.caPem());
    writer.remove(result.footprint());
    assertThat(root.resolve("etc/docker/certs.d/10.96.12.34:5000")).doesNotExist();
  }

  @Test
  void plainHttpMergesInsecureRegistriesKeepingEverythingElse() throws Exception {
    Files.createDirectories(daemonJson.getParent());
    Files.writeString(daemonJson, USER_DAEMON_JSON);
    NodeAccessPlan plan = NodeAccessPlanTest.plan(false, List.of(Runtime.DOCKER));

    WriterResult result = writer.apply(plan, RuntimeFootprint.empty());

    assertThat(result.report().outcome()).isEqualTo(RuntimeOutcome.RESTART_PENDING);
    assertThat(result.report().message()).contains("reload dockerd");
    JsonNode merged = JSON.readTree(daemonJson.toFile());
    JsonNode original = JSON.readTree(USER_DAEMON_JSON);
    assertThat(merged.get("insecure-registries")).extracting(JsonNode::asText)
        .containsExactly("10.0.0.5:5000", "main.registry.svc:5000", "main.registry.svc.cluster.local:5000");
    original.fieldNames().forEachRemaining(key -> {
      if (!key.equals("insecure-registries")) {
        assertThat(merged.get(key)).as(key).isEqualTo(original.get(key));
      }
    });
    assertThat(Files.readString(AtomicFileWriter.backupOf(daemonJson))).isEqualTo(USER_DAEMON_JSON);
    assertThat(Files.readString(daemonJson)).as("readable layout").contains("\n  \"log-driver\": \"json-file\",\n")
        .endsWith("}\n");
    // the user already listed main.registry.svc:5000: it is not the agent's
    assertThat(result.footprint().mergedFiles()).singleElement()
        .satisfies(file -> assertThat(file.added()).extracting(edit -> edit.value().asText())
            .containsExactly("main.registry.svc.cluster.local:5000"));
  }

  @Test
  void reapplyingTheSamePlanDoesNotRewriteTheFile() throws Exception {
    Files.createDirectories(daemonJson.getParent());
    Files.writeString(daemonJson, USER_DAEMON_JSON);
    NodeAccessPlan plan = NodeAccessPlanTest.plan(false, List.of(Runtime.DOCKER));
    WriterResult first = writer.apply(plan, RuntimeFootprint.empty());
    FileTime old = FileTime.fromMillis(1_000_000);
    Files.setLastModifiedTime(daemonJson, old);
    String content = Files.readString(daemonJson);

    WriterResult second = writer.apply(plan, first.footprint());

    assertThat(Files.getLastModifiedTime(daemonJson)).isEqualTo(old);
    assertThat(Files.readString(daemonJson)).isEqualTo(content);
    assertThat(second.footprint()).isEqualTo(first.footprint());
  }

  @Test
  void removalTakesAwayOnlyWhatTheAgentAdded() throws Exception {
    Files.createDirectories(daemonJson.getParent());
    Files.writeString(daemonJson, USER_DAEMON_JSON);
    WriterResult applied = writer.apply(NodeAccessPlanTest.plan(false, List.of(Runtime.DOCKER)),
        RuntimeFootprint.empty());

    WriterResult removed = writer.remove(applied.footprint());

    assertThat(removed.report().outcome()).isEqualTo(RuntimeOutcome.REMOVED);
    assertThat(JSON.readTree(daemonJson.toFile())).isEqualTo(JSON.readTree(USER_DAEMON_JSON));
    assertThat(removed.footprint().isEmpty()).isTrue();
  }

  @Test
  void aUserSettingAddedAfterTheAgentSurvivesRemoval() throws Exception {
    WriterResult applied = writer.apply(NodeAccessPlanTest.plan(false, List.of(Runtime.DOCKER)),
        RuntimeFootprint.empty());
    assertThat(JSON.readTree(daemonJson.toFile()).get("insecure-registries")).hasSize(2);
    var edited = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(daemonJson.toFile());
    edited.put("debug", true);
    edited.withArray("insecure-registries").add("192.168.1.10:5000");
    Files.writeString(daemonJson, edited.toString());

    writer.remove(applied.footprint());

    assertThat(JSON.readTree(daemonJson.toFile()))
        .isEqualTo(JSON.readTree("{\"insecure-registries\": [\"192.168.1.10:5000\"], \"debug\": true}"));
  }

  @Test
  void aDaemonJsonTheAgentCreatedIsDeletedOnRemoval() {
    WriterResult applied = writer.apply(NodeAccessPlanTest.plan(false, List.of(Runtime.DOCKER)),
        RuntimeFootprint.empty());
    assertThat(daemonJson).exists();
    assertThat(AtomicFileWriter.backupOf(daemonJson)).doesNotExist();

    writer.remove(applied.footprint());

    assertThat(daemonJson).doesNotExist();
  }

  @Test
  void tlsWritesCertsDirectoryCaFilesAndLeavesDaemonJsonAlone() throws Exception {
    Files.createDirectories(daemonJson.getParent());
    Files.writeString(daemonJson, USER_DAEMON_JSON);
    NodeAccessPlan plan = NodeAccessPlanTest.plan(true, List.of(Runtime.DOCKER));

    WriterResult result = writer.apply(plan, RuntimeFootprint.empty());

    assertThat(result.report().outcome()).isEqualTo(RuntimeOutcome.CONFIGURED);
    assertThat(result.report().message()).contains("node's DNS");
    for (String host : plan.hosts()) {
      assertThat(root.resolve("etc/docker/certs.d/" + host + "/ca.crt")).hasContent(plan.caPem());
    }
    assertThat(daemonJson).hasContent(USER_DAEMON_JSON);
    assertThat(AtomicFileWriter.backupOf(daemonJson)).doesNotExist();

    writer.remove(result.footprint());
    assertThat(root.resolve("etc/docker/certs.d")).doesNotExist();
    assertThat(daemonJson).hasContent(USER_DAEMON_JSON);
  }

  @Test
  void nodeLocalModeAlsoTrustsTheCaForLocalhost() {
    NodeAccessPlan base = NodeAccessPlanTest.plan(true, List.of(Runtime.DOCKER));
    NodeAccessPlan plan = new NodeAccessPlan(true, base.registry(), base.hosts(), base.endpoint(), true,
        base.caPem(), base.runtimes(), null, new NodeAccessPlan.NodeLocal(true, 5001));

    WriterResult result = writer.apply(plan, RuntimeFootprint.empty());

    assertThat(root.resolve("etc/docker/certs.d/localhost:5001/ca.crt")).hasContent(plan.caPem());
    assertThat(result.report().message()).doesNotContain("node's DNS");
  }

  @Test
  void switchingFromTlsToPlainHttpSwapsTheSettings() throws Exception {
    WriterResult tls = writer.apply(NodeAccessPlanTest.plan(true, List.of(Runtime.DOCKER)), RuntimeFootprint.empty());
    assertThat(root.resolve("etc/docker/certs.d")).exists();

    WriterResult plain = writer.apply(NodeAccessPlanTest.plan(false, List.of(Runtime.DOCKER)), tls.footprint());

    assertThat(root.resolve("etc/docker/certs.d")).doesNotExist();
    assertThat(JSON.readTree(daemonJson.toFile()).get("insecure-registries")).hasSize(2);
    assertThat(plain.footprint().files()).isEmpty();
  }

  @Test
  void anUnparsableDaemonJsonIsReportedAndLeftUntouched() throws Exception {
    Files.createDirectories(daemonJson.getParent());
    String broken = "{\"log-driver\": \"json-file\",, }";
    Files.writeString(daemonJson, broken);

    WriterResult result = writer.apply(NodeAccessPlanTest.plan(false, List.of(Runtime.DOCKER)),
        RuntimeFootprint.empty());

    assertThat(result.report().outcome()).isEqualTo(RuntimeOutcome.FAILED);
    assertThat(result.report().message()).contains("/etc/docker/daemon.json cannot be parsed");
    assertThat(daemonJson).hasContent(broken);
  }

  @Test
  void anInsecureRegistriesValueThatIsNotAListIsAConflict() throws Exception {
    Files.createDirectories(daemonJson.getParent());
    Files.writeString(daemonJson, "{\"insecure-registries\": \"oops\"}");

    WriterResult result = writer.apply(NodeAccessPlanTest.plan(false, List.of(Runtime.DOCKER)),
        RuntimeFootprint.empty());

    assertThat(result.report().outcome()).isEqualTo(RuntimeOutcome.FAILED);
    assertThat(result.report().message()).contains("insecure-registries").contains("\"oops\"");
    assertThat(daemonJson).hasContent("{\"insecure-registries\": \"oops\"}");
  }
}
