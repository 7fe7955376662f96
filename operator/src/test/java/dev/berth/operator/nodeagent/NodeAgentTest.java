package dev.berth.operator.nodeagent;

import dev.berth.operator.nodeaccess.NodeAccessPlanTest;
import dev.berth.operator.nodeaccess.NodeAccessPlan;
import dev.berth.operator.nodeaccess.NodeReport;
import dev.berth.operator.nodeaccess.Runtime;
import dev.berth.operator.nodeaccess.RuntimeOutcome;
import dev.berth.operator.nodeaccess.RuntimeReport;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeAgentTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path root;
  private Path planFile;
  private Path daemonJson;
  private final List<NodeReport> published = new ArrayList<>();
  private final MutableClock clock = new MutableClock();
  private NodeAgent agent;

  @BeforeEach
  void setUp() throws Exception {
    planFile = root.resolve("config/plan.json");
    Files.createDirectories(planFile.getParent());
    daemonJson = root.resolve("host/etc/docker/daemon.json");
    Files.createDirectories(daemonJson.getParent());
    Files.writeString(daemonJson, DockerWriterTest.USER_DAEMON_JSON);
    agent = agent(root.resolve("host/var/lib/berth/node-agent/registry_main"));
  }

  @AfterEach
  void tearDown() {
    agent.close();
  }

  private NodeAgent agent(Path stateDir) {
    var hostFs = new HostFs(root.resolve("host"));
    var settings = new NodeAgent.Settings(planFile, stateDir, "node-1", Duration.ofSeconds(1),
        Duration.ofMinutes(5), "127.0.0.1");
    return new NodeAgent(settings, List.of(new DockerWriter(hostFs, clock), new K3sWriter(Runtime.K3S, hostFs)),
        published::add, clock);
  }

  @Test
  void withoutAPlanItReportsNothingToDo() {
    NodeReport report = agent.runOnce();

    assertThat(report.enabled()).isFalse();
    assertThat(report.runtimes()).isEmpty();
    assertThat(report.ok()).isTrue();
    assertThat(published).containsExactly(report);
  }

  @Test
  void appliesThePlanOnceAndPublishesOnlyChanges() throws Exception {
    writePlan(NodeAccessPlanTest.plan(false, List.of(Runtime.DOCKER, Runtime.K3S)));

    NodeReport report = agent.runOnce();

    assertThat(report.enabled()).isTrue();
    assertThat(report.node()).isEqualTo("node-1");
    assertThat(report.registry()).isEqualTo("registry/main");
    assertThat(report.runtimes()).extracting(RuntimeReport::runtime).containsExactly(Runtime.DOCKER, Runtime.K3S);
    assertThat(report.runtimes()).extracting(RuntimeReport::outcome)
        .containsOnly(RuntimeOutcome.RESTART_PENDING);
    assertThat(JSON.readTree(daemonJson.toFile()).get("insecure-registries")).hasSize(3);
    assertThat(root.resolve("host/etc/rancher/k3s/registries.yaml")).exists();
    assertThat(root.resolve("host/var/lib/berth/node-agent/registry_main/state.json")).exists();

    // back-date everything the first pass left, directories included: a second pass that writes, replaces,
    // creates or deletes anything moves an mtime to now or changes an inode, whatever the file system's granularity
    Map<Path, FileState> applied = backDate(root.resolve("host"));
    clock.advance(Duration.ofSeconds(2));
    NodeReport second = agent.runOnce();

    assertThat(second.planHash()).isEqualTo(report.planHash());
    assertThat(second.runtimes()).isEqualTo(report.runtimes());
    assertThat(published).hasSize(1);
    assertThat(snapshot(root.resolve("host"))).as("the second pass wrote nothing").isEqualTo(applied);
  }

  /** A file's or directory's identity, time and content (null for a directory). */
  private record FileState(Object inode, FileTime modified, String content) {}

  private static final FileTime LONG_AGO = FileTime.from(Instant.parse("2001-02-03T04:05:06Z"));

  private static Map<Path, FileState> backDate(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.toList()) {
        Files.setLastModifiedTime(path, LONG_AGO);
      }
    }
    Map<Path, FileState> states = snapshot(dir);
    assertThat(states.values()).extracting(FileState::modified).containsOnly(LONG_AGO);
    return states;
  }

  private static Map<Path, FileState> snapshot(Path dir) throws IOException {
    Map<Path, FileState> states = new TreeMap<>();
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.toList()) {
        BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
        states.put(dir.relativize(path), new FileState(attributes.fileKey(), attributes.lastModifiedTime(),
            attributes.isRegularFile() ? Files.readString(path) : null));
      }
    }
    return states;
  }

  @Test
  void anInvalidPlanChangesNothingAndIsReported() throws Exception {
    writePlan(NodeAccessPlanTest.plan(false, List.of(Runtime.DOCKER)));
    agent.runOnce();
    String applied = Files.readString(daemonJson);
    Files.writeString(planFile, "{\"enabled\": true, \"registry\": \"registry/main\", \"hosts\": [\"x\"]}");

    NodeReport report = agent.runOnce();

    assertThat(report.error()).contains("invalid plan").contains("hosts[0]");
    assertThat(report.ok()).isFalse();
    assertThat(daemonJson).hasContent(applied);
  }

  @Test
  void aDisabledPlanRemovesEverythingTheAgentAdded() throws Exception {
    writePlan(NodeAccessPlanTest.plan(true, List.of(Runtime.DOCKER, Runtime.K3S)));
    agent.runOnce();
    assertThat(root.resolve("host/etc/docker/certs.d")).exists();
    Files.writeString(planFile, "{\"enabled\": false, \"registry\": \"registry/main\"}");

    NodeReport report = agent.runOnce();

    assertThat(report.enabled()).isFalse();
    assertThat(report.runtimes()).extracting(RuntimeReport::outcome).containsOnly(RuntimeOutcome.REMOVED);
    assertThat(report.ok()).isTrue();
    assertThat(root.resolve("host/etc/docker/certs.d")).doesNotExist();
    assertThat(root.resolve("host/etc/rancher/k3s/registries.yaml")).doesNotExist();
    assertThat(root.resolve("host/etc/rancher/k3s/berth")).doesNotExist();
    assertThat(JSON.readTree(daemonJson.toFile())).isEqualTo(JSON.readTree(DockerWriterTest.USER_DAEMON_JSON));
  }

  @Test
  void aDeletedPlanFileAlsoRemovesEverything() throws Exception {
    writePlan(NodeAccessPlanTest.plan(false, List.of(Runtime.DOCKER)));
    agent.runOnce();
    Files.delete(planFile);

    NodeReport report = agent.runOnce();

    assertThat(report.registry()).isEqualTo("registry/main");
    assertThat(report.runtimes()).singleElement()
        .satisfies(runtime -> assertThat(runtime.outcome()).isEqualTo(RuntimeOutcome.REMOVED));
    assertThat(JSON.readTree(daemonJson.toFile())).isEqualTo(JSON.readTree(DockerWriterTest.USER_DAEMON_JSON));
  }

  @Test
  void aRuntimeDroppedFromThePlanIsCleanedUp() throws Exception {
    writePlan(NodeAccessPlanTest.plan(false, List.of(Runtime.DOCKER, Runtime.K3S)));
    agent.runOnce();
    writePlan(NodeAccessPlanTest.plan(false, List.of(Runtime.DOCKER)));

    NodeReport report = agent.runOnce();

    assertThat(report.runtimes()).extracting(RuntimeReport::runtime, RuntimeReport::outcome)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(Runtime.K3S, RuntimeOutcome.REMOVED),
            org.assertj.core.groups.Tuple.tuple(Runtime.DOCKER, RuntimeOutcome.RESTART_PENDING));
    assertThat(root.resolve("host/etc/rancher/k3s/registries.yaml")).doesNotExist();
  }

  @Test
  void theStateSurvivesARestartOfTheAgent() throws Exception {
    writePlan(NodeAccessPlanTest.plan(false, List.of(Runtime.DOCKER)));
    agent.runOnce();
    agent.close();
    agent = agent(root.resolve("host/var/lib/berth/node-agent/registry_main"));
    Files.delete(planFile);

    agent.runOnce();

    assertThat(JSON.readTree(daemonJson.toFile())).isEqualTo(JSON.readTree(DockerWriterTest.USER_DAEMON_JSON));
  }

  @Test
  void refusesAStateDirectoryOfAnotherRegistry() throws Exception {
    writePlan(NodeAccessPlanTest.plan(false, List.of(Runtime.DOCKER)));
    agent.runOnce();
    NodeAccessPlan base = NodeAccessPlanTest.plan(false, List.of(Runtime.DOCKER));
    writePlan(new NodeAccessPlan(true, "other/cache", List.of("cache.other.svc:5000"), base.endpoint(), false, null,
        base.runtimes(), null, null));

    NodeReport report = agent.runOnce();

    assertThat(report.error()).contains("belongs to Registry registry/main");
    assertThat(Files.readString(daemonJson)).doesNotContain("cache.other.svc");
  }

  @Test
  void republishesAfterAFailedPublish() throws Exception {
    var attempts = new ArrayList<NodeReport>();
    var hostFs = new HostFs(root.resolve("host"));
    var settings = new NodeAgent.Settings(planFile, root.resolve("host/state/a"), "node-1", Duration.ofSeconds(1),
        Duration.ofMinutes(5), "127.0.0.1");
    try (var flaky = new NodeAgent(settings, List.of(new DockerWriter(hostFs, clock)), report -> {
      attempts.add(report);
      if (attempts.size() == 1) {
        throw new IllegalStateException("API server unavailable");
      }
    }, clock)) {
      flaky.runOnce();
      flaky.runOnce();
    }
    assertThat(attempts).hasSize(2);
  }

  @Test
  void startsTheNodeLocalForwarderWhenThePlanAsksForIt() throws Exception {
    int port;
    try (var free = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      port = free.getLocalPort();
    }
    NodeAccessPlan base = NodeAccessPlanTest.plan(false, List.of(Runtime.DOCKER));
    writePlan(new NodeAccessPlan(true, base.registry(), base.hosts(), "127.0.0.1:9", false, null, base.runtimes(),
        null, new NodeAccessPlan.NodeLocal(true, port)));

    NodeReport report = agent.runOnce();

    assertThat(report.error()).isEmpty();
    try (var socket = new Socket("127.0.0.1", port)) {
      assertThat(socket.isConnected()).isTrue();
    }
    writePlan(NodeAccessPlanTest.plan(false, List.of(Runtime.DOCKER)));
    agent.runOnce();
    try (var rebound = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
      assertThat(rebound.getLocalPort()).as("forwarder stopped").isEqualTo(port);
    }
  }

  @Test
  void runStopsWhenAsked() throws Exception {
    var thread = new Thread(agent::run, "node-agent-test");
    thread.start();
    Thread.sleep(200);
    agent.stop();
    thread.join(TimeUnit.SECONDS.toMillis(5));
    assertThat(thread.isAlive()).isFalse();
    assertThat(published).isNotEmpty();
  }

  private void writePlan(NodeAccessPlan plan) throws Exception {
    Files.writeString(planFile, plan.toJson());
  }

  /** A clock the test moves by hand. */
  static final class MutableClock extends Clock {
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");

    void advance(Duration duration) {
      now = now.plus(duration);
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
