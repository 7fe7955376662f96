package dev.berth.operator.nodeagent;

import dev.berth.operator.nodeaccess.HostPort;
import dev.berth.operator.nodeaccess.NodeAccessPlan;
import dev.berth.operator.nodeaccess.Runtime;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * k3s and RKE2: {@code mirrors.<host>.endpoint} and, with TLS, {@code configs.<endpoint>.tls.ca_file} merged into
 * {@code /etc/rancher/<k3s|rke2>/registries.yaml}. k3s turns that file into containerd configuration only when it
 * starts, so the agent reports a pending restart until the containerd files k3s generated name the endpoint.
 */
public final class K3sWriter implements RuntimeWriter {
  private final Runtime runtime;
  private final String configDir;
  private final String registriesYaml;
  private final String dataDir;
  private final HostFs hostFs;
  private final OwnedFileInstaller files;
  private final MergedFileEditor editor;

  public K3sWriter(Runtime runtime, HostFs hostFs) {
    if (runtime != Runtime.K3S && runtime != Runtime.RKE2) {
      throw new IllegalArgumentException("K3sWriter handles k3s and rke2, not " + runtime.id());
    }
    this.runtime = runtime;
    this.configDir = "/etc/rancher/" + runtime.id();
    this.registriesYaml = configDir + "/registries.yaml";
    this.dataDir = "/var/lib/rancher/" + runtime.id();
    this.hostFs = hostFs;
    this.files = new OwnedFileInstaller(hostFs);
    this.editor = MergedFileEditor.yaml(hostFs);
  }

  @Override
  public Runtime runtime() {
    return runtime;
  }

  public String caFile(NodeAccessPlan plan) {
    return configDir + "/berth/" + plan.registryFileName() + "/ca.crt";
  }

  @Override
  public WriterResult apply(NodeAccessPlan plan, RuntimeFootprint previous) {
    try {
      String endpoint = plan.endpointAddress().authority();
      var owned = new LinkedHashMap<String, byte[]>();
      var edits = new ArrayList<TreeEdit>();
      for (HostPort host : plan.hostPorts()) {
        var endpoints = JsonNodeFactory.instance.arrayNode().add(plan.scheme() + "://" + endpoint);
        edits.add(TreeEdit.field(endpoints, "mirrors", host.authority(), "endpoint"));
      }
      for (NodeAccessPlan.Mirror mirror : plan.mirrors()) {
        // k3s keeps the upstream as the last endpoint itself and its containerd adds ?ns=<host> for the registry
        var endpoints = JsonNodeFactory.instance.arrayNode().add(plan.scheme() + "://" + endpoint);
        edits.add(TreeEdit.field(endpoints, "mirrors", mirror.host(), "endpoint"));
      }
      if (plan.tls()) {
        owned.put(caFile(plan), plan.caPem().getBytes(StandardCharsets.US_ASCII));
        edits.add(TreeEdit.field(TextNode.valueOf(caFile(plan)), "configs", endpoint, "tls", "ca_file"));
      }
      OwnedFileInstaller.SyncResult synced = files.sync(owned, previous);
      MergedFileEditor.Outcome merged = editor.merge(registriesYaml, edits, previous.mergedFile(registriesYaml));
      var footprint = new RuntimeFootprint(synced.files(), synced.createdDirs(),
          merged.merged() == null ? List.of() : List.of(merged.merged()), null, null);
      var notes = new ArrayList<>(synced.notes());
      if (!merged.conflicts().isEmpty()) {
        notes.addAll(merged.conflicts());
        return WriterResult.failed(runtime, registriesYaml + ": " + String.join("; ", notes), footprint);
      }
      List<String> waiting = java.util.stream.Stream.concat(plan.hostPorts().stream().map(HostPort::authority),
              plan.mirrors().stream().map(NodeAccessPlan.Mirror::host))
          .filter(host -> !generatedConfigNames(host, plan.scheme() + "://" + endpoint))
          .toList();
      String pending = waiting.isEmpty() ? null : runtime.id() + " reads " + registriesYaml + " only when it starts: "
          + "restart it on this node (systemctl restart " + runtime.id() + " or " + runtime.id() + "-agent); "
          + "not yet applied for " + String.join(", ", waiting);
      return WriterResult.applied(runtime, pending, notes, footprint);
    } catch (RuntimeException e) {
      return WriterResult.failed(runtime, e.getMessage(), previous);
    }
  }

  @Override
  public WriterResult remove(RuntimeFootprint previous) {
    try {
      var notes = new ArrayList<>(files.removeAll(previous));
      for (String changed : editor.removeAll(previous)) {
        notes.add(changed + " changed: restart " + runtime.id() + " for containerd to forget the mirror");
      }
      return WriterResult.removed(runtime, notes);
    } catch (RuntimeException e) {
      return WriterResult.failed(runtime, e.getMessage(), previous);
    }
  }

  /**
   * Whether the containerd configuration k3s generated at its last start maps {@code host} to {@code endpointUrl}:
   * a hosts.toml in its certs.d (current releases) or the mirror in its config.toml (older releases).
   */
  private boolean generatedConfigNames(String host, String endpointUrl) {
    String containerdDir = dataDir + "/agent/etc/containerd";
    return fileMentions(containerdDir + "/certs.d/" + host + "/hosts.toml", endpointUrl)
        || fileMentions(containerdDir + "/config.toml", "\"" + host + "\"", endpointUrl);
  }

  private boolean fileMentions(String hostPath, String... needles) {
    Path local = hostFs.local(hostPath);
    try {
      if (!Files.isRegularFile(local)) {
        return false;
      }
      String text = Files.readString(local);
      for (String needle : needles) {
        if (!text.contains(needle)) {
          return false;
        }
      }
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
