package dev.berth.operator.reconciler;

import dev.berth.operator.spec.ContainerdAccessSpec;
import dev.berth.operator.spec.DeletionPolicy;
import dev.berth.operator.spec.MetricsSpec;
import dev.berth.operator.spec.NodeAccessSpec;
import dev.berth.operator.spec.RegistrySpec;
import dev.berth.operator.spec.S3Storage;
import dev.berth.operator.spec.ServiceType;
import dev.berth.operator.spec.StorageSpec.StorageKind;
import dev.berth.operator.spec.StorageSpec;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;

/**
 * Checks a spec before anything is created. The CRD's CEL rules refuse most of these at the API server already; the
 * operator checks again because some need the cluster's state (the claim's access modes, the existing StatefulSet),
 * and so that a cluster without those rules still gets a clear condition instead of half-made objects.
 */
public final class SpecRules {
  private SpecRules() {}

  private static final java.util.regex.Pattern CRON_FIELD = java.util.regex.Pattern.compile("[0-9A-Za-z*/,?-]+");
  private static final java.util.regex.Pattern GO_DURATION =
      java.util.regex.Pattern.compile("([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+");

  /** spec.garbageCollection: a five-field (or @-macro) schedule, a Go duration, and storage a Job can mount. */
  static List<String> garbageCollection(RegistrySpec spec) {
    var gc = spec.getGarbageCollection();
    if (gc == null) {
      return List.of();
    }
    List<String> problems = new ArrayList<>();
    if (gc.scheduled()) {
      String schedule = gc.getSchedule().strip();
      String[] fields = schedule.split("\\s+");
      boolean macro = schedule.startsWith("@") && fields.length == 1;
      if (!macro && (fields.length != 5 || !java.util.Arrays.stream(fields).allMatch(f -> CRON_FIELD.matcher(f).matches()))) {
        problems.add("garbageCollection.schedule: '" + schedule + "' is not a cron schedule of five fields such as"
            + " \"0 3 * * *\"");
      }
    }
    if (!GO_DURATION.matcher(gc.gracePeriodOrDefault()).matches()) {
      problems.add("garbageCollection.gracePeriod: '" + gc.gracePeriodOrDefault() + "' is not a duration such as 1h or 90m");
    }
    if (spec.storageOrDefault().kind() == StorageKind.EMPTY_DIR) {
      problems.add("garbageCollection needs persistent storage: a collection Job cannot reach a pod's emptyDir");
    }
    return problems;
  }

  public static List<String> problems(
      RegistrySpec spec, Optional<StatefulSet> current, Optional<PersistentVolumeClaim> existingClaim) {
    List<String> problems = new ArrayList<>();
    StorageSpec storage = spec.storageOrDefault();
    int replicas = spec.replicasOrDefault();
    if (replicas < 0) {
      problems.add("replicas must not be negative");
    }
    if (storage.kindsSet() > 1) {
      problems.add("storage: set at most one of persistentVolumeClaim, existingClaim, emptyDir, s3");
    }
    if (storage.getS3() != null && storage.deletionPolicyOrDefault() == DeletionPolicy.Delete) {
      problems.add("storage.deletionPolicy Delete applies to claims the operator creates; a bucket is never emptied");
    }
    if (storage.getS3() != null) {
      problems.addAll(s3Problems(storage.getS3()));
    }
    if (storage.getExistingClaim() != null && storage.deletionPolicyOrDefault() == DeletionPolicy.Delete) {
      problems.add("storage.deletionPolicy Delete applies to claims the operator creates;"
          + " an existingClaim is never deleted");
    }
    if (replicas > 1 && !storage.kind().shareable()) {
      problems.add(RegistrySpec.REPLICAS_NEED_SHARED_STORAGE);
    }
    if (replicas > 1 && existingClaim.isPresent()) {
      List<String> modes = existingClaim.get().getSpec() == null
          ? List.of()
          : Optional.ofNullable(existingClaim.get().getSpec().getAccessModes()).orElse(List.of());
      if (!modes.contains("ReadWriteMany")) {
        problems.add("replicas > 1 needs a ReadWriteMany claim, but PersistentVolumeClaim "
            + storage.getExistingClaim() + " has access modes " + modes);
      }
    }
    problems.addAll(garbageCollection(spec));
    if (spec.metricsOrDefault().serviceMonitorOrDefault() && !spec.metricsOrDefault().enabledOrDefault()) {
      problems.add(MetricsSpec.SERVICE_MONITOR_NEEDS_METRICS);
    }
    if (storage.kind() == StorageKind.CLAIM_TEMPLATE) {
      String size = storage.claimTemplateOrDefault().sizeOrDefault();
      if (!isQuantity(size)) {
        problems.add("storage.persistentVolumeClaim.size: '" + size + "' is not a quantity such as 10Gi");
      }
    }
    if (storage.getEmptyDir() != null && storage.getEmptyDir().getSizeLimit() != null
        && !isQuantity(storage.getEmptyDir().getSizeLimit())) {
      problems.add("storage.emptyDir.sizeLimit: '" + storage.getEmptyDir().getSizeLimit()
          + "' is not a quantity such as 5Gi");
    }
    var service = spec.serviceOrDefault();
    if (service.getNodePort() != null && service.typeOrDefault() == ServiceType.ClusterIP) {
      problems.add("service.nodePort needs service.type NodePort or LoadBalancer");
    }
    var tls = spec.tlsOrDefault();
    if (tls.modeOrDefault() == dev.berth.operator.spec.TlsMode.Secret
        && (tls.getSecretName() == null || tls.getSecretName().isBlank())) {
      problems.add("tls.mode Secret needs tls.secretName (a kubernetes.io/tls Secret with tls.crt and tls.key)");
    }
    var auth = spec.authOrDefault();
    if (auth.enabled() && auth.getHtpasswdSecret() == null && auth.usersOrEmpty().isEmpty()) {
      problems.add("auth.mode " + auth.modeOrDefault() + " needs credentials: auth.htpasswdSecret or auth.users");
    }
    if (auth.anonymousOrEmpty().stream().anyMatch(rule -> rule.getActions() != null
        && rule.getActions().stream().anyMatch(action -> action != dev.berth.operator.spec.RegistryAction.pull))) {
      problems.add("auth.anonymous rules may only allow pull");
    }
    if (auth.getHtpasswdSecret() != null && !auth.usersOrEmpty().isEmpty()) {
      problems.add("auth: set either htpasswdSecret or users, not both");
    }
    java.util.Set<String> userNames = new java.util.HashSet<>();
    for (var user : auth.usersOrEmpty()) {
      if (user.getName() == null || !user.getName().matches("[A-Za-z0-9._@-]{1,64}")) {
        problems.add("auth.users: '" + user.getName() + "' is not a user name (letters, digits, . _ @ -)");
      } else if (!userNames.add(user.getName())) {
        problems.add("auth.users: " + user.getName() + " appears twice");
      }
    }
    problems.addAll(nodeAccessProblems(spec.nodeAccessOrDefault()));
    problems.addAll(dev.berth.operator.proxy.ProxyUpstreams.problems(spec.proxyOrDefault()));
    current.ifPresent(sts -> {
      boolean hasTemplates = sts.getSpec() != null && sts.getSpec().getVolumeClaimTemplates() != null
          && !sts.getSpec().getVolumeClaimTemplates().isEmpty();
      boolean wantsTemplates = storage.kind() == StorageKind.CLAIM_TEMPLATE;
      if (hasTemplates != wantsTemplates) {
        problems.add("storage cannot switch " + (hasTemplates ? "from persistentVolumeClaim to " + storage.kind().field()
            : "to persistentVolumeClaim") + " once the StatefulSet exists (its claim templates are immutable);"
            + " nothing was changed. Copy the data (the same registry:2 layout on a volume and in a bucket) and"
            + " create a new Registry, or set the old storage back");
      }
    });
    return problems;
  }

  /** What the CRD's schema refuses in storage.s3 (its patterns), for clusters that do not enforce it. */
  static List<String> s3Problems(S3Storage s3) {
    List<String> problems = new ArrayList<>();
    if (s3.getBucket() == null || !s3.getBucket().matches(S3Storage.BUCKET_PATTERN)) {
      problems.add("storage.s3.bucket: '" + s3.getBucket() + "' is not a bucket name (3-63 characters: a-z, 0-9,"
          + " '.', '-')");
    }
    if (s3.hasEndpoint()) {
      boolean url;
      try {
        var uri = java.net.URI.create(s3.getEndpoint().strip());
        url = s3.getEndpoint().strip().matches(S3Storage.ENDPOINT_PATTERN) && uri.getHost() != null;
      } catch (IllegalArgumentException e) {
        url = false;
      }
      if (!url) {
        problems.add("storage.s3.endpoint: '" + s3.getEndpoint() + "' is not an http:// or https:// URL");
      }
    }
    if (s3.hasRootDirectory() && (!s3.getRootDirectory().matches(S3Storage.ROOT_PATTERN)
        || java.util.Arrays.asList(s3.getRootDirectory().split("/")).contains(".."))) {
      problems.add("storage.s3.rootDirectory: '" + s3.getRootDirectory() + "' is not a key prefix (a/b/c)");
    }
    return problems;
  }

  /** What the CRD's CEL rules on spec.nodeAccess refuse (its schema checks the rest). */
  static List<String> nodeAccessProblems(NodeAccessSpec access) {
    List<String> problems = new ArrayList<>();
    if (access.getRuntimes() != null && new HashSet<>(access.getRuntimes()).size()
        != access.getRuntimes().size()) {
      problems.add("nodeAccess.runtimes lists a runtime twice");
    }
    ContainerdAccessSpec containerd = access.containerdOrDefault();
    if (ContainerdAccessSpec.climbs(containerd.getConfigToml())
        || ContainerdAccessSpec.climbs(containerd.getConfigPath())) {
      problems.add("containerd.configToml and containerd.configPath must not contain '..'");
    }
    return problems;
  }

  static boolean isQuantity(String value) {
    if (value == null || !value.matches("[0-9]+(\\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?")) {
      return false;
    }
    try {
      Quantity.getAmountInBytes(new Quantity(value));
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
