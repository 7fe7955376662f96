package dev.berth.operator.gc;

import dev.berth.operator.names.RegistryNames;
import dev.berth.operator.spec.Registry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Names of the garbage-collection objects: the CronJob, the on-demand Jobs (one per trigger value) and the label
 * every collection Job carries, so the operator finds the runs of a Registry whichever made them.
 */
public final class GcNames {
  /** Set (or change) to any value to run a collection now. */
  public static final String TRIGGER_ANNOTATION = "berth.dev/gc-trigger";
  /** On every collection Job and its pods: the Registry's name. */
  public static final String RUN_LABEL = "berth.dev/gc-of";
  public static final String CONTAINER = "garbage-collect";

  private GcNames() {}

  public static String cronJob(RegistryNames names) {
    return names.name() + "-gc";
  }

  /** The Job for one trigger value: a new value makes a new Job, the same value never a second one. */
  public static String triggerJob(RegistryNames names, String trigger) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(trigger.getBytes(StandardCharsets.UTF_8));
      return names.name() + "-gc-" + HexFormat.of().formatHex(hash).substring(0, 10);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  public static Optional<String> trigger(Registry registry) {
    Map<String, String> annotations = registry.getMetadata().getAnnotations();
    return Optional.ofNullable(annotations == null ? null : annotations.get(TRIGGER_ANNOTATION))
        .map(String::strip).filter(value -> !value.isEmpty());
  }

  public static Map<String, String> labels(RegistryNames names) {
    Map<String, String> labels = new LinkedHashMap<>(names.labels());
    labels.put("app.kubernetes.io/component", "garbage-collection");
    labels.put(RUN_LABEL, names.name());
    return labels;
  }
}
