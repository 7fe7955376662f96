package dev.berth.operator.plan;

import dev.berth.operator.names.RegistryNames;
import dev.berth.operator.spec.Registry;
import dev.berth.operator.spec.RegistrySpec;
import dev.berth.operator.spec.StorageSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The PrometheusRule's alerts for one Registry (docs/day-two.md, "Alerts"), as the rule groups of its spec. Every
 * expression is narrowed to the series of this Registry: the Prometheus Operator labels what a ServiceMonitor
 * scrapes with {@code job} (the Service's name, here the headless Service) and {@code namespace}.
 */
public final class AlertRules {
  public static final String REGISTRY_DOWN = "BerthRegistryDown";
  public static final String REPLICA_DOWN = "BerthRegistryReplicaDown";
  public static final String ERROR_RATIO = "BerthRegistryHighErrorRatio";
  public static final String STORAGE_SLOW = "BerthRegistryStorageSlow";
  public static final String STORAGE_ERRORS = "BerthRegistryStorageErrors";
  public static final String VOLUME_FILLING = "BerthRegistryVolumeAlmostFull";
  public static final String CERTIFICATE_EXPIRING = "BerthRegistryCertificateExpiringSoon";

  private AlertRules() {}

  /** The {@code spec.groups} of the PrometheusRule: one group with the alerts that apply to this spec. */
  public static List<Map<String, Object>> groups(Registry registry) {
    RegistryNames names = RegistryNames.of(registry);
    RegistrySpec spec = registry.getSpec();
    String scope = "job=\"" + names.headlessService() + "\",namespace=\"" + names.namespace() + "\"";
    String which = names.namespace() + "/" + registry.getMetadata().getName();
    List<Map<String, Object>> rules = new ArrayList<>();
    // absent() takes its labels from a plain selector only, so "no target at all" is its own half
    rules.add(alert(REGISTRY_DOWN,
        "max by (job, namespace) (up{" + scope + "}) == 0 or absent(up{" + scope + "})", "5m", "critical",
        "Registry " + which + " is down",
        "No pod of Registry " + which + " has answered Prometheus' scrape for 5 minutes (none runs, or none is"
            + " reachable): pushes and pulls fail."));
    rules.add(alert(REPLICA_DOWN, "up{" + scope + "} == 0", "10m", "warning",
        "A replica of Registry " + which + " does not answer",
        "Pod {{ $labels.pod }} of Registry " + which + " has failed its scrapes for 10 minutes."));
    rules.add(alert(ERROR_RATIO,
        "sum by (job, namespace) (rate(registry_http_requests_total{" + scope + ",code=~\"5..\"}[5m]))"
            + " / sum by (job, namespace) (rate(registry_http_requests_total{" + scope + "}[5m])) > 0.05",
        "10m", "critical",
        "Registry " + which + " answers more than 5% of requests with 5xx",
        "{{ $value | humanizePercentage }} of the requests to Registry " + which + " failed with a server error"
            + " over 5 minutes; storage trouble (a full disk, a bucket that refuses) is the usual cause: see the"
            + " pods' logs."));
    rules.add(alert(STORAGE_SLOW,
        "histogram_quantile(0.99, sum by (le, action, job, namespace) (rate(registry_storage_action_seconds_bucket{"
            + scope + "}[10m]))) > 2",
        "15m", "warning",
        "Storage of Registry " + which + " is slow",
        "99% of {{ $labels.action }} storage calls of Registry " + which + " took up to {{ $value }} s over 10"
            + " minutes (more than 2 s): the disk or the bucket struggles."));
    rules.add(alert(STORAGE_ERRORS,
        "sum by (action, job, namespace) (rate(registry_storage_action_errors_total{" + scope + "}[5m])) > 0",
        "10m", "critical",
        "Storage of Registry " + which + " fails",
        "{{ $labels.action }} storage calls of Registry " + which + " have been failing for 10 minutes"
            + " ({{ $value }} per second): the disk or the bucket refuses (full, read-only, wrong credentials,"
            + " unreachable); the pods' logs name the path or the bucket and key."));
    claimMatcher(names, spec.storageOrDefault()).ifPresent(claims -> {
      String volume = "namespace=\"" + names.namespace() + "\"," + claims;
      rules.add(alert(VOLUME_FILLING,
          "kubelet_volume_stats_available_bytes{" + volume + "} / kubelet_volume_stats_capacity_bytes{" + volume
              + "} < 0.1",
          "15m", "warning",
          "Volume of Registry " + which + " is almost full",
          "Claim {{ $labels.persistentvolumeclaim }} of Registry " + which + " has {{ $value | humanizePercentage }}"
              + " free: grow it (spec.storage.persistentVolumeClaim.size) or collect garbage before pushes fail."));
    });
    if (spec.tlsOrDefault().enabled()) {
      rules.add(alert(CERTIFICATE_EXPIRING,
          "registry_tls_certificate_expiry_seconds{" + scope + "} < 14 * 86400",
          "1h", "warning",
          "The certificate of Registry " + which + " expires soon",
          "The serving certificate of pod {{ $labels.pod }} of Registry " + which + " expires in"
              + " {{ $value | humanizeDuration }}: renew it (mode Secret: the Secret's owner; SelfSigned: the"
              + " operator renews, so check its log)."));
    }
    Map<String, Object> group = new LinkedHashMap<>();
    group.put("name", "berth-registry." + names.namespace() + "." + registry.getMetadata().getName());
    group.put("rules", rules);
    return List.of(group);
  }

  /** The claims the data lives on, as a label matcher; none for emptyDir and S3 (no kubelet volume stats). */
  private static Optional<String> claimMatcher(RegistryNames names, StorageSpec storage) {
    return switch (storage.kind()) {
      case CLAIM_TEMPLATE -> Optional.of("persistentvolumeclaim=~\"" + RegistryNames.DATA_VOLUME + "-"
          + names.statefulSet() + "-[0-9]+\"");
      case EXISTING_CLAIM -> Optional.of("persistentvolumeclaim=\"" + storage.getExistingClaim() + "\"");
      default -> Optional.empty();
    };
  }

  private static Map<String, Object> alert(String name, String expr, String forDuration, String severity,
      String summary, String description) {
    Map<String, Object> rule = new LinkedHashMap<>();
    rule.put("alert", name);
    rule.put("expr", expr);
    rule.put("for", forDuration);
    rule.put("labels", Map.of("severity", severity));
    Map<String, String> annotations = new LinkedHashMap<>();
    annotations.put("summary", summary);
    annotations.put("description", description);
    rule.put("annotations", annotations);
    return rule;
  }
}
