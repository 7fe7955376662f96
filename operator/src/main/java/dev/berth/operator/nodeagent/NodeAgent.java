package dev.berth.operator.nodeagent;

import dev.berth.operator.nodeaccess.HostPort;
import dev.berth.operator.nodeaccess.InvalidPlanException;
import dev.berth.operator.nodeaccess.NodeAccessPlan;
import dev.berth.operator.nodeaccess.NodeReport;
import dev.berth.operator.nodeaccess.Runtime;
import dev.berth.operator.nodeaccess.RuntimeReport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node agent for one Registry: reads the plan file the operator keeps current (a mounted ConfigMap key), applies
 * it with one writer per runtime when the file changes (and every resync interval, to repair files someone removed),
 * removes everything it added when the plan is absent or disabled, and publishes a {@link NodeReport}. An invalid
 * plan changes nothing on the node; it is reported.
 */
public final class NodeAgent implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NodeAgent.class);
  private static final Duration LOCK_WAIT = Duration.ofSeconds(30);

  /**
   * @param planFile       the mounted plan (e.g. {@code /etc/berth/node-access/plan.json}); absent means off
   * @param stateDir       this agent's directory on the host (e.g. {@code /var/lib/berth/node-agent/<ns>_<name>})
   * @param nodeName       the node, from the downward API
   * @param pollInterval   how often to look at the plan file (1 second to 10 minutes)
   * @param resyncInterval how often to re-apply an unchanged plan
   * @param bindAddress    where the node-local forwarder listens when the plan enables it
   */
  public record Settings(
      Path planFile, Path stateDir, String nodeName, Duration pollInterval, Duration resyncInterval,
      String bindAddress) {
    public Settings {
      if (pollInterval.compareTo(Duration.ofSeconds(1)) < 0 || pollInterval.compareTo(Duration.ofMinutes(10)) > 0) {
        throw new IllegalArgumentException("pollInterval must be between 1s and 10m, not " + pollInterval);
      }
      if (resyncInterval.compareTo(pollInterval) < 0) {
        throw new IllegalArgumentException("resyncInterval must not be shorter than pollInterval");
      }
      if (nodeName == null || nodeName.isBlank()) {
        throw new IllegalArgumentException("nodeName is required (set it from spec.nodeName)");
      }
    }
  }

  private final Settings settings;
  private final Map<Runtime, RuntimeWriter> writers;
  private final NodeReportPublisher publisher;
  private final Clock clock;
  private final AgentStateStore store;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private AgentState state;
  private String appliedHash;
  private Instant appliedAt = Instant.MIN;
  private NodeReport published;
  private LocalForwarder forwarder;

  public NodeAgent(Settings settings, List<RuntimeWriter> writers, NodeReportPublisher publisher, Clock clock) {
    this.settings = settings;
    var byRuntime = new EnumMap<Runtime, RuntimeWriter>(Runtime.class);
    writers.forEach(writer -> byRuntime.put(writer.runtime(), writer));
    this.writers = byRuntime;
    this.publisher = publisher;
    this.clock = clock;
    this.store = new AgentStateStore(settings.stateDir());
  }

  /** The agent with every runtime's writer, writing through {@code hostFs}. */
  public static NodeAgent forNode(Settings settings, HostFs hostFs, NodeReportPublisher publisher) {
    Clock clock = Clock.systemUTC();
    return new NodeAgent(settings, List.of(
        new ContainerdWriter(hostFs, clock),
        new DockerWriter(hostFs, clock),
        new K3sWriter(Runtime.K3S, hostFs),
        new K3sWriter(Runtime.RKE2, hostFs)), publisher, clock);
  }

  /** Runs passes until {@link #stop()}; each wait is one poll interval. */
  public void run() {
    LOG.info("node agent on {} following {}", settings.nodeName(), settings.planFile());
    try {
      do {
        try {
          runOnce();
        } catch (RuntimeException e) {
          LOG.error("node agent pass failed; retrying in {}", settings.pollInterval(), e);
        }
      } while (!stopped.await(settings.pollInterval().toMillis(), TimeUnit.MILLISECONDS));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      stopForwarder();
    }
  }

  /** Asks {@link #run()} to return after the current pass (e.g. from a SIGTERM shutdown hook). */
  public void stop() {
    stopped.countDown();
  }

  @Override
  public void close() {
    stop();
    stopForwarder();
  }

  /** One pass: apply or remove if the plan changed or a resync is due, then publish the report if it changed. */
  public NodeReport runOnce() {
    Optional<byte[]> planBytes = readPlanFile();
    String hash = planBytes.map(OwnedFileInstaller::sha256).orElse("");
    Instant now = clock.instant();
    boolean due = !hash.equals(appliedHash) || !now.isBefore(appliedAt.plus(settings.resyncInterval()));
    NodeReport report = published;
    if (due || report == null) {
      report = apply(planBytes, hash);
      appliedHash = hash;
      appliedAt = now;
    }
    if (!report.sameAs(published) || due) {
      try {
        publisher.publish(report);
        published = report;
      } catch (RuntimeException e) {
        LOG.warn("cannot publish the node report; retrying next pass: {}", e.getMessage());
        appliedHash = null;
      }
    }
    return report;
  }

  private NodeReport apply(Optional<byte[]> planBytes, String hash) {
    NodeAccessPlan plan;
    try {
      plan = planBytes.map(bytes -> NodeAccessPlan.parse(new String(bytes, StandardCharsets.UTF_8))).orElse(null);
    } catch (InvalidPlanException e) {
      LOG.error("plan {} is invalid; nothing changed on the node: {}", settings.planFile(), e.getMessage());
      return report(null, hash, List.of(), "invalid plan " + settings.planFile() + ": " + e.getMessage());
    }
    try (FileLock lock = lockNodeFiles()) {
      if (state == null) {
        state = store.load();
      }
      if (plan != null && state.registry() != null && !state.registry().equals(plan.registry())) {
        return report(plan, hash, List.of(), settings.stateDir() + " belongs to Registry " + state.registry()
            + ", not " + plan.registry() + "; each Registry's agent needs its own state directory");
      }
      List<RuntimeReport> reports = plan != null && plan.enabled() ? configure(plan, hash) : removeAll(plan, hash);
      String error = plan != null && plan.enabled() ? updateForwarder(plan) : stopForwarder();
      return report(plan, hash, reports, error);
    } catch (IOException | RuntimeException e) {
      LOG.error("node agent pass failed", e);
      return report(plan, hash, List.of(), e.getMessage());
    }
  }

  private List<RuntimeReport> configure(NodeAccessPlan plan, String hash) {
    var footprints = new EnumMap<Runtime, RuntimeFootprint>(Runtime.class);
    footprints.putAll(state.runtimes());
    var reports = new ArrayList<RuntimeReport>();
    for (Runtime runtime : List.copyOf(footprints.keySet())) {
      if (!plan.runtimes().contains(runtime)) {
        WriterResult removed = writer(runtime).remove(footprints.get(runtime));
        footprints.put(runtime, removed.footprint());
        reports.add(removed.report());
      }
    }
    for (Runtime runtime : plan.runtimes()) {
      WriterResult applied = writer(runtime).apply(plan, state.footprint(runtime));
      footprints.put(runtime, applied.footprint());
      reports.add(applied.report());
      LOG.info("{}: {} {}", runtime.id(), applied.report().outcome().id(), applied.report().message());
    }
    state = new AgentState(plan.registry(), hash, footprints);
    store.save(state);
    return reports;
  }

  private List<RuntimeReport> removeAll(NodeAccessPlan plan, String hash) {
    var footprints = new EnumMap<Runtime, RuntimeFootprint>(Runtime.class);
    var reports = new ArrayList<RuntimeReport>();
    for (Map.Entry<Runtime, RuntimeFootprint> entry : state.runtimes().entrySet()) {
      WriterResult removed = writer(entry.getKey()).remove(entry.getValue());
      footprints.put(entry.getKey(), removed.footprint());
      reports.add(removed.report());
      LOG.info("{}: {} {}", entry.getKey().id(), removed.report().outcome().id(), removed.report().message());
    }
    String registry = plan != null ? plan.registry() : state.registry();
    state = new AgentState(footprints.isEmpty() ? null : registry, hash, footprints);
    store.save(state);
    return reports;
  }

  private RuntimeWriter writer(Runtime runtime) {
    RuntimeWriter writer = writers.get(runtime);
    if (writer == null) {
      throw new IllegalStateException("no writer for runtime " + runtime.id());
    }
    return writer;
  }

  /** Starts, moves or keeps the node-local forwarder; returns an error message or "". */
  private String updateForwarder(NodeAccessPlan plan) {
    if (!plan.nodeLocalEnabled()) {
      return stopForwarder();
    }
    HostPort target = plan.endpointAddress();
    String targetHost = target.host().replace("[", "").replace("]", "");
    int port = plan.nodeLocal().port();
    if (forwarder != null && forwarder.forwardsTo(targetHost, target.port(), port)) {
      return "";
    }
    stopForwarder();
    try {
      forwarder = new LocalForwarder(settings.bindAddress(), port, targetHost, target.port(), 256,
          Duration.ofSeconds(10)).start();
      return "";
    } catch (RuntimeException e) {
      return "node-local endpoint: " + e.getMessage();
    }
  }

  private String stopForwarder() {
    if (forwarder != null) {
      forwarder.close();
      forwarder = null;
    }
    return "";
  }

  /** Agents of several Registries on one node may edit the same daemon.json: one at a time. */
  private FileLock lockNodeFiles() throws IOException {
    Files.createDirectories(settings.stateDir());
    Path lockFile = settings.stateDir().toAbsolutePath().getParent().resolve("node-agent.lock");
    FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    Instant deadline = clock.instant().plus(LOCK_WAIT);
    try {
      while (true) {
        FileLock lock = channel.tryLock();
        if (lock != null) {
          return new ClosingLock(channel, lock);
        }
        if (clock.instant().isAfter(deadline)) {
          throw new IOException("another node agent holds " + lockFile + " for over " + LOCK_WAIT.toSeconds() + "s");
        }
        Thread.sleep(100);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      channel.close();
      throw new IOException("interrupted while waiting for " + lockFile, e);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  private Optional<byte[]> readPlanFile() {
    try {
      return Files.exists(settings.planFile())
          ? Optional.of(Files.readAllBytes(settings.planFile()))
          : Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + settings.planFile(), e);
    }
  }

  private NodeReport report(NodeAccessPlan plan, String hash, List<RuntimeReport> runtimes, String error) {
    String registry = plan != null ? plan.registry() : state != null && state.registry() != null ? state.registry() : "";
    return new NodeReport(settings.nodeName(), registry, hash, plan != null && plan.enabled(), runtimes, error,
        clock.instant());
  }

  /** A file lock that also closes its channel. */
  private static final class ClosingLock extends FileLock {
    private final FileLock lock;

    ClosingLock(FileChannel channel, FileLock lock) {
      super(channel, lock.position(), lock.size(), lock.isShared());
      this.lock = lock;
    }

    @Override
    public boolean isValid() {
      return lock.isValid();
    }

    @Override
    public void release() throws IOException {
      lock.release();
      channel().close();
    }
  }
}
