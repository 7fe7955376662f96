package dev.berth.operator.nodeagent;

import dev.berth.operator.nodeaccess.HostPort;
import dev.berth.operator.nodeaccess.NodeAccessPlan;
import dev.berth.operator.nodeaccess.Runtime;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;

/**
 * containerd 1.5+ and 2.x: {@code <config_path>/<host:port>/hosts.toml} (and {@code ca.crt} with TLS) for every
 * registry name, mapping it to the Service endpoint. containerd reads these at every pull, so no restart is needed
 * once {@code config_path} is set; when it is not, the agent says so, or with the plan's opt-in sets it in
 * config.toml (which containerd reads only at start).
 */
public final class ContainerdWriter implements RuntimeWriter {
  private final HostFs hostFs;
  private final OwnedFileInstaller files;
  private final AtomicFileWriter writer = new AtomicFileWriter();
  private final ContainerdConfigPatcher patcher = new ContainerdConfigPatcher();
  private final Clock clock;

  public ContainerdWriter(HostFs hostFs, Clock clock) {
    this.hostFs = hostFs;
    this.files = new OwnedFileInstaller(hostFs);
    this.clock = clock;
  }

  @Override
  public Runtime runtime() {
    return Runtime.CONTAINERD;
  }

  @Override
  public WriterResult apply(NodeAccessPlan plan, RuntimeFootprint previous) {
    NodeAccessPlan.ContainerdOptions options = plan.containerd();
    try {
      ConfigTomlPatch patch = previous.configPatch();
      String pending = patch == null ? null : previous.pendingAction();
      ContainerdConfig config = readConfig(options.configToml());
      if (!config.configPathSet() && options.patchConfigToml() && patch == null) {
        patch = patchConfig(options.configToml(), options.configPath());
        config = readConfig(options.configToml());
        pending = "config_path set in " + options.configToml() + " at " + clock.instant()
            + ": restart containerd (systemctl restart containerd) for it to take effect";
      }
      if (!config.configPathSet()) {
        OwnedFileInstaller.SyncResult cleared = files.sync(new LinkedHashMap<>(), previous);
        var footprint = new RuntimeFootprint(cleared.files(), cleared.createdDirs(), List.of(), patch, pending);
        return WriterResult.failed(runtime(), unsetMessage(config, options), footprint);
      }
      String hostsDir = config.configPaths().get(0);
      var desired = new LinkedHashMap<String, byte[]>();
      for (HostPort name : plan.hostPorts()) {
        String dir = hostsDir + "/" + name.authority();
        String ca = plan.tls() ? dir + "/ca.crt" : null;
        if (ca != null) {
          desired.put(ca, plan.caPem().getBytes(StandardCharsets.US_ASCII));
        }
        String hostsToml = HostsToml.render(plan.registry(), name, plan.endpointAddress(), plan.scheme(), ca);
        desired.put(dir + "/hosts.toml", hostsToml.getBytes(StandardCharsets.UTF_8));
      }
      for (NodeAccessPlan.Mirror mirror : plan.mirrors()) {
        String dir = hostsDir + "/" + mirror.host();
        // named apart from ca.crt: this CA is the registry's, not the upstream's
        String ca = plan.tls() ? dir + "/berth-ca.crt" : null;
        if (ca != null) {
          desired.put(ca, plan.caPem().getBytes(StandardCharsets.US_ASCII));
        }
        desired.put(dir + "/hosts.toml", HostsToml.renderMirror(plan.registry(), mirror.host(), mirror.server(),
            plan.endpointAddress(), plan.scheme(), ca).getBytes(StandardCharsets.UTF_8));
      }
      OwnedFileInstaller.SyncResult synced = files.sync(desired, previous);
      var notes = new ArrayList<>(synced.notes());
      if (!config.inlineSettings().isEmpty()) {
        notes.add(options.configToml() + " also has inline registry " + String.join(" and ", config.inlineSettings())
            + " beside config_path; containerd 2.2 refuses that mix: move them to hosts.toml files");
      }
      var footprint = new RuntimeFootprint(synced.files(), synced.createdDirs(), List.of(), patch, pending);
      return WriterResult.applied(runtime(), pending, notes, footprint);
    } catch (RuntimeException e) {
      return WriterResult.failed(runtime(), e.getMessage(), previous);
    }
  }

  @Override
  public WriterResult remove(RuntimeFootprint previous) {
    try {
      var notes = new ArrayList<>(files.removeAll(previous));
      if (previous.configPatch() != null) {
        notes.add(unpatchConfig(previous.configPatch()));
      }
      notes.removeIf(String::isEmpty);
      return WriterResult.removed(runtime(), notes);
    } catch (RuntimeException e) {
      return WriterResult.failed(runtime(), e.getMessage(), previous);
    }
  }

  private ContainerdConfig readConfig(String configToml) {
    Optional<byte[]> content = writer.read(hostFs.local(configToml));
    if (content.isEmpty()) {
      return ContainerdConfig.absent();
    }
    try {
      return ContainerdConfig.parse(new String(content.get(), StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(configToml + ": " + e.getMessage(), e);
    }
  }

  private ConfigTomlPatch patchConfig(String configToml, String configPath) {
    Path local = hostFs.local(configToml);
    String original = writer.read(local).map(bytes -> new String(bytes, StandardCharsets.UTF_8)).orElse(null);
    ContainerdConfigPatcher.Patched patched = patcher.patch(configToml, original, configPath);
    byte[] content = patched.text().getBytes(StandardCharsets.UTF_8);
    if (original == null) {
      writer.write(local, content);
    } else {
      writer.writeWithBackup(local, content);
    }
    return patched.patch();
  }

  private String unpatchConfig(ConfigTomlPatch patch) {
    Path local = hostFs.local(patch.hostPath());
    Optional<byte[]> content = writer.read(local);
    if (content.isEmpty()) {
      return "";
    }
    if (patch.createdFile() && OwnedFileInstaller.sha256(content.get()).equals(patch.sha256())) {
      writer.delete(local);
      return "removed " + patch.hostPath() + " (created by the agent): restart containerd";
    }
    Optional<String> restored = patcher.unpatch(new String(content.get(), StandardCharsets.UTF_8), patch);
    if (restored.isEmpty()) {
      return patch.hostPath() + ": the agent's config_path lines were edited since; left in place";
    }
    writer.writeWithBackup(local, restored.get().getBytes(StandardCharsets.UTF_8));
    return "config_path taken out of " + patch.hostPath() + ": restart containerd";
  }

  private static String unsetMessage(ContainerdConfig config, NodeAccessPlan.ContainerdOptions options) {
    if (!config.exists()) {
      return options.configToml() + " does not exist, so containerd has no registry config_path; create it with "
          + "[" + ContainerdConfig.tableHeader(2) + "] config_path = \"" + options.configPath()
          + "\" and restart containerd, or set nodeAccess containerd.patchConfigToml";
    }
    return config.configPathKey() + " is not set in " + options.configToml() + "; set it to \""
        + options.configPath() + "\" and restart containerd, or set nodeAccess containerd.patchConfigToml"
        + (config.inlineSettings().isEmpty() ? "" : " (after moving the inline registry "
            + String.join(" and ", config.inlineSettings()) + " to hosts.toml files)");
  }
}
