package dev.berth.operator.dependent;

import dev.berth.operator.names.RegistryNames;
import dev.berth.operator.plan.ServerConfigRenderer;

import dev.berth.operator.auth.AuthKeys;
import dev.berth.operator.plan.RegistryPlan;
import dev.berth.operator.spec.AuthSpec;
import dev.berth.operator.spec.Registry;
import dev.berth.operator.storage.StoragePlan;
import dev.berth.operator.tls.TlsKeys;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import dev.berth.operator.spec.RegistrySpec;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraintBuilder;
import dev.berth.operator.spec.S3Storage;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The StatefulSet running registry-server pods with the rendered config, probes and data volume (none for S3: see
 * {@link StoragePlan} for why S3 pods are a StatefulSet without claim templates rather than a Deployment).
 */
@KubernetesDependent(informer = @Informer(labelSelector = RegistryNames.MANAGED_SELECTOR))
public class StatefulSetDependent extends CRUDKubernetesDependentResource<StatefulSet, Registry> {
  public static final String CONTAINER_NAME = "registry";
  public static final String PORT_NAME = "registry";
  /** The debug listener's port (spec.metrics.enabled), which the client Service and the ServiceMonitor name. */
  public static final String METRICS_PORT_NAME = "metrics";
  public static final String CONFIG_HASH_ANNOTATION = "berth.dev/config-hash";
  public static final String S3_CREDENTIALS_VERSION_ANNOTATION = "berth.dev/s3-credentials-version";
  /** Where replicas are spread: nodes first, then zones. */
  static final List<String> SPREAD_TOPOLOGIES = List.of("kubernetes.io/hostname", "topology.kubernetes.io/zone");
  /** The registry-server image runs as this non-root user (its Jib configuration says so). */
  public static final long RUN_AS = 65532L;

  public StatefulSetDependent() {
    super(StatefulSet.class);
  }

  @Override
  protected StatefulSet desired(Registry registry, Context<Registry> context) {
    RegistryPlan plan = RegistryPlan.of(context);
    RegistryNames names = plan.names();
    RegistrySpec spec = registry.getSpec();

    return new StatefulSetBuilder()
        .withNewMetadata()
        .withName(names.statefulSet())
        .withNamespace(names.namespace())
        .withLabels(names.labels())
        .withAnnotations(Map.of(StoragePlan.KIND_ANNOTATION, plan.storage().kind().field()))
        .endMetadata()
        .withNewSpec()
        .withReplicas(spec.replicasOrDefault())
        .withServiceName(names.headlessService())
        .withPodManagementPolicy("Parallel")
        .withNewSelector()
        .withMatchLabels(names.selectorLabels())
        .endSelector()
        .withNewPersistentVolumeClaimRetentionPolicy()
        .withWhenDeleted(plan.storage().whenDeleted())
        .withWhenScaled("Retain")
        .endPersistentVolumeClaimRetentionPolicy()
        .withVolumeClaimTemplates(plan.storage().claimTemplates())
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(names.labels())
        .withAnnotations(podAnnotations(plan))
        .endMetadata()
        .withNewSpec()
        .withServiceAccountName(spec.getServiceAccountName())
        .withTopologySpreadConstraints(orNull(spread(names, spec.replicasOrDefault())))
        .withSecurityContext(podSecurity())
        .withEnableServiceLinks(false)
        .withTerminationGracePeriodSeconds(30L)
        .withContainers(container(spec, plan.registryImage(), plan.storage()))
        .withVolumes(volumes(plan, spec))
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  /** The pod's volumes: config, tmp, the data volume unless claim templates provide it, TLS and auth. */
  static List<Volume> volumes(RegistryPlan plan, RegistrySpec spec) {
    RegistryNames names = plan.names();
    List<Volume> volumes = new ArrayList<>();
    volumes.add(new VolumeBuilder()
        .withName("config")
        .withNewConfigMap()
        .withName(names.configMap())
        .endConfigMap()
        .build());
    volumes.add(new VolumeBuilder().withName("tmp").withNewEmptyDir().endEmptyDir().build());
    plan.storage().dataVolume().ifPresent(volumes::add);
    plan.servingSecret().ifPresent(secret -> volumes.add(new VolumeBuilder()
        .withName("tls")
        .withNewSecret()
        .withSecretName(secret)
        .withDefaultMode(0440)
        .endSecret()
        .build()));
    authVolume(names, spec.authOrDefault()).ifPresent(volumes::add);
    dev.berth.operator.proxy.ProxyUpstreams.credentialsVolume(spec.proxyOrDefault()).ifPresent(volumes::add);
    return volumes;
  }

  static io.fabric8.kubernetes.api.model.PodSecurityContext podSecurity() {
    return new PodSecurityContextBuilder()
        .withRunAsNonRoot(true)
        .withRunAsUser(RUN_AS)
        .withRunAsGroup(RUN_AS)
        .withFsGroup(RUN_AS)
        .withFsGroupChangePolicy("OnRootMismatch")
        .withNewSeccompProfile()
        .withType("RuntimeDefault")
        .endSeccompProfile()
        .build();
  }

  /**
   * /etc/berth/auth: htpasswd from the user's Secret or the operator's, and the token key from the operator's. A
   * projected volume keeps them in one directory and still follows Secret updates (no subPath).
   */
  static Optional<Volume> authVolume(RegistryNames names, AuthSpec auth) {
    if (!auth.enabled()) {
      return Optional.empty();
    }
    List<io.fabric8.kubernetes.api.model.VolumeProjection> sources = new ArrayList<>();
    if (auth.getHtpasswdSecret() != null) {
      sources.add(new io.fabric8.kubernetes.api.model.VolumeProjectionBuilder()
          .withNewSecret().withName(auth.getHtpasswdSecret())
          .addNewItem().withKey(AuthKeys.HTPASSWD).withPath(AuthKeys.HTPASSWD).endItem()
          .endSecret().build());
    }
    if (AuthKeys.operatorSecretWanted(auth)) {
      var own = new io.fabric8.kubernetes.api.model.SecretProjectionBuilder().withName(names.authSecret());
      if (!auth.usersOrEmpty().isEmpty()) {
        own.addNewItem().withKey(AuthKeys.HTPASSWD).withPath(AuthKeys.HTPASSWD).endItem();
      }
      if (auth.modeOrDefault() == dev.berth.operator.spec.AuthMode.Token) {
        own.addNewItem().withKey(AuthKeys.TOKEN_KEY).withPath(AuthKeys.TOKEN_KEY).endItem();
      }
      sources.add(new io.fabric8.kubernetes.api.model.VolumeProjectionBuilder().withSecret(own.build()).build());
    }
    return Optional.of(new VolumeBuilder()
        .withName("auth")
        .withNewProjected().withDefaultMode(0440).withSources(sources).endProjected()
        .build());
  }

  private static Map<String, String> podAnnotations(RegistryPlan plan) {
    Map<String, String> annotations = new java.util.TreeMap<>();
    annotations.put(CONFIG_HASH_ANNOTATION, plan.serverConfigHash());
    plan.s3CredentialsVersion().ifPresent(v -> annotations.put(S3_CREDENTIALS_VERSION_ANNOTATION, v));
    return annotations;
  }

  /**
   * More than one replica: spread over nodes, then zones, as a preference (ScheduleAnyway), so a small cluster still
   * runs them all; one replica has nothing to spread.
   */
  static List<TopologySpreadConstraint> spread(RegistryNames names, int replicas) {
    if (replicas <= 1) {
      return List.of();
    }
    return SPREAD_TOPOLOGIES.stream().map(topology -> new TopologySpreadConstraintBuilder()
        .withMaxSkew(1)
        .withTopologyKey(topology)
        .withWhenUnsatisfiable("ScheduleAnyway")
        .withNewLabelSelector().withMatchLabels(names.selectorLabels()).endLabelSelector()
        .build()).toList();
  }

  /** The S3 key pair as environment variables from the user's Secret: never in the ConfigMap, never read by us. */
  static List<EnvVar> s3Credentials(RegistrySpec spec) {
    S3Storage s3 = spec.storageOrDefault().getS3();
    if (s3 == null || !s3.hasCredentialsSecret()) {
      return List.of();
    }
    return List.of(
        secretEnv(ServerConfigRenderer.S3_ACCESS_KEY_ENV, s3.getCredentialsSecret(), S3Storage.ACCESS_KEY),
        secretEnv(ServerConfigRenderer.S3_SECRET_KEY_ENV, s3.getCredentialsSecret(), S3Storage.SECRET_KEY));
  }

  /** Unset rather than empty, so the object equals what the API server returns for it. */
  static <T> List<T> orNull(List<T> list) {
    return list.isEmpty() ? null : list;
  }

  private static EnvVar secretEnv(String name, String secret, String key) {
    return new EnvVarBuilder()
        .withName(name)
        .withNewValueFrom()
        .withNewSecretKeyRef().withName(secret).withKey(key).withOptional(false).endSecretKeyRef()
        .endValueFrom()
        .build();
  }

  private static Container container(RegistrySpec spec, String image, StoragePlan storage) {
    String scheme = spec.tlsOrDefault().enabled() ? "HTTPS" : "HTTP";
    List<ContainerPort> ports = new ArrayList<>();
    ports.add(new ContainerPortBuilder().withName(PORT_NAME).withContainerPort(ServerConfigRenderer.CONTAINER_PORT)
        .withProtocol("TCP").build());
    if (spec.metricsOrDefault().enabledOrDefault()) {
      ports.add(new ContainerPortBuilder().withName(METRICS_PORT_NAME)
          .withContainerPort(ServerConfigRenderer.METRICS_PORT).withProtocol("TCP").build());
    }
    return new ContainerBuilder()
        .withName(CONTAINER_NAME)
        .withImage(image)
        .withImagePullPolicy("IfNotPresent")
        .withArgs("serve", ServerConfigRenderer.CONFIG_PATH)
        .withEnv(orNull(s3Credentials(spec)))
        .withPorts(ports)
        .withStartupProbe(httpProbe("/healthz", scheme, 2, 60))
        .withLivenessProbe(httpProbe("/healthz", scheme, 10, 3))
        .withReadinessProbe(httpProbe("/readyz", scheme, 5, 2))
        .withResources(resources(spec.getResources()))
        .withSecurityContext(containerSecurity())
        .withVolumeMounts(mounts(spec, storage))
        .build();
  }

  /** The registry container's mounts; the garbage-collect Job's container reads the same files. */
  static List<io.fabric8.kubernetes.api.model.VolumeMount> mounts(RegistrySpec spec, StoragePlan storage) {
    List<io.fabric8.kubernetes.api.model.VolumeMount> mounts = new ArrayList<>(List.of(
        new VolumeMountBuilder()
            .withName("config")
            .withMountPath(ServerConfigRenderer.CONFIG_PATH)
            .withSubPath(ServerConfigRenderer.CONFIG_FILE)
            .withReadOnly(true)
            .build(),
        new VolumeMountBuilder().withName("tmp").withMountPath("/tmp").build()));
    if (storage.mountsData()) {
      mounts.add(new VolumeMountBuilder()
          .withName(RegistryNames.DATA_VOLUME)
          .withMountPath(StoragePlan.DATA_DIR)
          .build());
    }
    if (spec.authOrDefault().enabled()) {
      mounts.add(new VolumeMountBuilder()
          .withName("auth")
          .withMountPath(AuthKeys.MOUNT_DIR)
          .withReadOnly(true)
          .build());
    }
    dev.berth.operator.proxy.ProxyUpstreams.credentialsMount(spec.proxyOrDefault()).ifPresent(mounts::add);
    if (spec.tlsOrDefault().enabled()) {
      mounts.add(new VolumeMountBuilder()
          .withName("tls")
          .withMountPath(TlsKeys.MOUNT_DIR)
          .withReadOnly(true)
          .build());
    }
    return mounts;
  }

  static io.fabric8.kubernetes.api.model.SecurityContext containerSecurity() {
    return new SecurityContextBuilder()
        .withAllowPrivilegeEscalation(false)
        .withReadOnlyRootFilesystem(true)
        .withRunAsNonRoot(true)
        .withNewCapabilities()
        .withDrop("ALL")
        .endCapabilities()
        .build();
  }

  private static Probe httpProbe(String path, String scheme, int periodSeconds, int failureThreshold) {
    return new ProbeBuilder()
        .withNewHttpGet()
        .withPath(path)
        .withPort(new IntOrString(PORT_NAME))
        .withScheme(scheme)
        .endHttpGet()
        .withPeriodSeconds(periodSeconds)
        .withTimeoutSeconds(2)
        .withFailureThreshold(failureThreshold)
        .build();
  }

  /** The user's requirements, else defaults sized for a small registry (the JVM keeps its heap under the limit). */
  static ResourceRequirements resources(ResourceRequirements requested) {
    if (requested != null
        && ((requested.getRequests() != null && !requested.getRequests().isEmpty())
            || (requested.getLimits() != null && !requested.getLimits().isEmpty()))) {
      return requested;
    }
    return new ResourceRequirementsBuilder()
        .addToRequests("cpu", new Quantity("100m"))
        .addToRequests("memory", new Quantity("256Mi"))
        .addToLimits("memory", new Quantity("512Mi"))
        .build();
  }
}
