package dev.berth.registry.cli;

import dev.berth.registry.Main;
import dev.berth.registry.config.ConfigException;
import dev.berth.registry.config.FlagOverride;
import dev.berth.registry.config.LoadedConfig;
import dev.berth.registry.config.RegistryConfig;
import dev.berth.registry.gc.FenceTiming;
import dev.berth.registry.gc.LayoutGcStore;
import dev.berth.registry.gc.GarbageCollector;
import dev.berth.registry.gc.GcEvents;
import dev.berth.registry.gc.GcOptions;
import dev.berth.registry.gc.GcReport;
import dev.berth.registry.gc.GcReportJson;
import dev.berth.registry.gc.GcStore;
import dev.berth.registry.storage.DriverStorage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code garbage-collect [--dry-run] [--delete-untagged] CONFIG.yml}, distribution's command and flags, with a report
 * of the same shape. Unlike distribution's it is safe while a server (or several) serves the same storage: deletions
 * go through the storage-level fence (docs/gc.md).
 */
@Command(
    name = "garbage-collect",
    mixinStandardHelpOptions = true,
    versionProvider = VersionInfo.class,
    description = {
        "Deletes blobs and links no manifest references (and, with --delete-untagged, manifests no tag reaches),",
        "leaving anything younger than the grace period (gc.gracePeriod, default 1h). Safe while the registry serves."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:the collection completed (or the dry run reported)",
        "1:the collection was incomplete, failed, or another collector holds the lock",
        "2:bad command line or configuration"})
final class GarbageCollectCommand implements Callable<Integer> {
  @ParentCommand
  RegistryServerCommand parent;

  @Spec
  CommandSpec spec;

  @Parameters(index = "0", arity = "0..1", paramLabel = "CONFIG.yml", description = "The config file.")
  Path configFile;

  @Option(names = {"-d", "--dry-run"}, description = "Report what would be deleted; delete nothing.")
  boolean dryRun;

  @Option(names = {"-m", "--delete-untagged"},
      description = "Also delete manifests no tag reaches (index children and referrers of live images are kept).")
  boolean deleteUntagged;

  @Option(names = {"-q", "--quiet"}, description = "Print only the summary.")
  boolean quiet;

  @Option(names = "--grace-period", paramLabel = "DURATION",
      description = "Keep everything younger than this (gc.gracePeriod), e.g. 30m.")
  String gracePeriod;

  @Option(names = "--report-file", paramLabel = "FILE",
      description = "Also write the report as JSON here (e.g. /dev/termination-log in a Kubernetes Job).")
  Path reportFile;

  @Mixin
  OverrideOptions overrides = new OverrideOptions();

  @Override
  public Integer call() {
    List<FlagOverride> flags = new ArrayList<>(overrides.overrides());
    if (gracePeriod != null) {
      flags.add(new FlagOverride("gc.gracePeriod", gracePeriod, "--grace-period"));
    }
    LoadedConfig loaded = parent.load(configFile, flags);
    if (loaded == null) {
      return RegistryServerCommand.EXIT_BAD_CONFIG;
    }
    RegistryConfig config = loaded.config();
    GcOptions options = GcOptions.of(config.gc())
        .withDryRun(dryRun || config.gc().dryRun())
        .withDeleteUntagged(deleteUntagged || config.gc().deleteUntagged());
    PrintWriter out = spec.commandLine().getOut();
    DriverStorage storage;
    try {
      // the same storage the server opens (on S3 with its bucket check), so the collector sees what it serves
      storage = Main.storageFor(config.storage());
    } catch (ConfigException e) {
      spec.commandLine().getErr().println("registry-server: " + e.getMessage());
      return RegistryServerCommand.EXIT_BAD_CONFIG;
    }
    try (storage) {
      return collect(new LayoutGcStore(storage.files()), options, out);
    }
  }

  private int collect(GcStore store, GcOptions options, PrintWriter out) {
    Optional<GcReport> result = new GarbageCollector(store, FenceTiming.DEFAULTS, Clock.systemUTC())
        .run(options, quiet ? GcEvents.NONE : new DistributionStyleEvents(out));
    if (result.isEmpty()) {
      spec.commandLine().getErr().println("registry-server: another garbage collection holds the lock; nothing done");
      out.flush();
      return RegistryServerCommand.EXIT_FAILURE;
    }
    GcReport report = result.get();
    out.printf("%n%d blobs marked, %d blobs and %d manifests %s%n", report.blobsMarked(), report.blobsDeleted(),
        report.manifestsDeleted(), options.dryRun() ? "eligible for deletion (dry run: nothing deleted)" : "deleted");
    out.printf("%d layer links, %d tags and %d uploads %s; %d bytes %s%n", report.layerLinksDeleted(),
        report.tagsDeleted(), report.uploadsDeleted(), options.dryRun() ? "eligible" : "deleted", report.bytesFreed(),
        options.dryRun() ? "would be freed" : "freed");
    report.warnings().forEach(warning -> out.println("warning: " + warning));
    out.flush();
    if (!options.dryRun()) {
      store.putMarker(GcReportJson.LAST_RUN_MARKER, GcReportJson.toJson(report));
    }
    if (reportFile != null) {
      try {
        Files.write(reportFile, GcReportJson.toJson(report));
      } catch (IOException e) {
        spec.commandLine().getErr().println("registry-server: cannot write " + reportFile + ": " + e.getMessage());
        return RegistryServerCommand.EXIT_FAILURE;
      }
    }
    if (!report.complete()) {
      spec.commandLine().getErr().println("registry-server: garbage collection incomplete: " + report.error());
      return RegistryServerCommand.EXIT_FAILURE;
    }
    return 0;
  }
}
