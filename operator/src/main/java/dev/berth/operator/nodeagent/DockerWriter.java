package dev.berth.operator.nodeagent;

import dev.berth.operator.nodeaccess.HostPort;
import dev.berth.operator.nodeaccess.NodeAccessPlan;
import dev.berth.operator.nodeaccess.Runtime;

import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Docker Engine: with TLS, {@code /etc/docker/certs.d/<host:port>/ca.crt} (read at every pull, no restart); without,
 * each host merged into {@code insecure-registries} in {@code /etc/docker/daemon.json} (dockerd applies it on reload).
 * Docker cannot map a name to another address, so the names must resolve on the node, or pods use the node-local
 * forwarder's {@code localhost:<port>} (Docker already treats loopback registries as insecure).
 */
public final class DockerWriter implements RuntimeWriter {
  public static final String DOCKER_DIR = "/etc/docker";
  private static final String INSECURE_REGISTRIES = "insecure-registries";
  private static final String REGISTRY_MIRRORS = "registry-mirrors";
  /** dockerd's registry-mirrors serve Docker Hub only; other upstreams are not mirrored on Docker nodes. */
  private static final String DOCKER_HUB = "docker.io";

  private final String daemonJson;
  private final String certsDir;
  private final OwnedFileInstaller files;
  private final MergedFileEditor editor;
  private final Clock clock;

  public DockerWriter(HostFs hostFs, Clock clock) {
    this.daemonJson = DOCKER_DIR + "/daemon.json";
    this.certsDir = DOCKER_DIR + "/certs.d";
    this.files = new OwnedFileInstaller(hostFs);
    this.editor = MergedFileEditor.json(hostFs);
    this.clock = clock;
  }

  @Override
  public Runtime runtime() {
    return Runtime.DOCKER;
  }

  @Override
  public WriterResult apply(NodeAccessPlan plan, RuntimeFootprint previous) {
    try {
      var caFiles = new LinkedHashMap<String, byte[]>();
      var edits = new ArrayList<TreeEdit>();
      if (plan.tls()) {
        for (String host : hostsOf(plan)) {
          caFiles.put(certsDir + "/" + host + "/ca.crt", plan.caPem().getBytes(StandardCharsets.US_ASCII));
        }
      } else {
        for (HostPort host : plan.hostPorts()) {
          edits.add(TreeEdit.arrayElement(TextNode.valueOf(host.authority()), INSECURE_REGISTRIES));
        }
      }
      if (plan.mirrors().stream().anyMatch(m -> m.host().equals(DOCKER_HUB))) {
        // the registry's dockermirror upstream answers these (they carry no ?ns=); the node-local endpoint when on,
        // since Docker treats loopback as insecure already, else the ClusterIP, trusted like the registry's names
        String mirror = plan.nodeLocalEnabled() ? "localhost:" + plan.nodeLocal().port() : plan.endpointAddress().authority();
        edits.add(TreeEdit.arrayElement(TextNode.valueOf(plan.scheme() + "://" + mirror), REGISTRY_MIRRORS));
        if (plan.tls()) {
          caFiles.put(certsDir + "/" + mirror + "/ca.crt", plan.caPem().getBytes(StandardCharsets.US_ASCII));
        } else if (!plan.nodeLocalEnabled()) {
          edits.add(TreeEdit.arrayElement(TextNode.valueOf(mirror), INSECURE_REGISTRIES));
        }
      }
      OwnedFileInstaller.SyncResult synced = files.sync(caFiles, previous);
      MergedFileEditor.Outcome merged = editor.merge(daemonJson, edits, previous.mergedFile(daemonJson));
      String pending = merged.changed()
          ? "daemon.json changed at " + clock.instant() + ": reload dockerd (systemctl reload docker) to apply "
              + INSECURE_REGISTRIES + " and " + REGISTRY_MIRRORS + "; the agent cannot see whether it was reloaded"
          : merged.merged() == null ? null : previous.pendingAction();
      var footprint = new RuntimeFootprint(synced.files(), synced.createdDirs(),
          merged.merged() == null ? List.of() : List.of(merged.merged()), null, pending);
      var notes = new ArrayList<String>(synced.notes());
      if (!merged.conflicts().isEmpty()) {
        notes.addAll(merged.conflicts());
        return WriterResult.failed(runtime(), daemonJson + ": " + String.join("; ", notes), footprint);
      }
      if (!plan.nodeLocalEnabled()) {
        notes.add("Docker resolves registry names with the node's DNS: make " + String.join(", ", plan.hosts())
            + " resolvable on the node or enable the node-local endpoint");
      }
      return WriterResult.applied(runtime(), pending, notes, footprint);
    } catch (RuntimeException e) {
      return WriterResult.failed(runtime(), e.getMessage(), previous);
    }
  }

  @Override
  public WriterResult remove(RuntimeFootprint previous) {
    try {
      var notes = new ArrayList<>(files.removeAll(previous));
      for (String changed : editor.removeAll(previous)) {
        notes.add(changed + " changed: reload dockerd (systemctl reload docker)");
      }
      return WriterResult.removed(runtime(), notes);
    } catch (RuntimeException e) {
      return WriterResult.failed(runtime(), e.getMessage(), previous);
    }
  }

  /** The plan's names plus, in node-local mode, {@code localhost:<port>} that Docker pulls through. */
  private static List<String> hostsOf(NodeAccessPlan plan) {
    var hosts = new ArrayList<>(plan.hostPorts().stream().map(HostPort::authority).toList());
    if (plan.nodeLocalEnabled()) {
      hosts.add("localhost:" + plan.nodeLocal().port());
    }
    return hosts;
  }

}
