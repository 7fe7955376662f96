package dev.berth.operator.dependent;

import dev.berth.operator.config.OperatorSettings;
import dev.berth.operator.spec.DeletionPolicy;
import dev.berth.operator.spec.EmptyDirStorage;
import dev.berth.operator.spec.PersistentVolumeClaimStorage;
import dev.berth.operator.spec.Registry;
import dev.berth.operator.spec.RegistrySpec;
import dev.berth.operator.spec.StorageSpec;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
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
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The StatefulSet running registry-server pods with the rendered config, probes and data volume. */
@KubernetesDependent(informer = @Informer(labelSelector = RegistryNames.MANAGED_SELECTOR))
public class StatefulSetDependent extends CRUDKubernetesDependentResource<StatefulSet, Registry> {
  public static final String CONTAINER_NAME = "registry";
  public static final String PORT_NAME = "registry";
  public static final String CONFIG_HASH_ANNOTATION = "berth.dev/config-hash";
  /** The registry-server image runs as this non-root user (its Jib configuration says so). */
  public static final long RUN_AS = 65532L;

  public StatefulSetDependent() {
    super(StatefulSet.class);
  }

  @Override
  protected StatefulSet desired(Registry registry, Context<Registry> context) {
    RegistryNames names = RegistryNames.of(registry);
    RegistrySpec spec = registry.getSpec();
    StorageSpec storage = spec.storageOrDefault();
    String config = ServerConfigRenderer.render(spec);
    OperatorSettings settings =
        context.managedWorkflowAndDependentResourceContext().getMandatory(OperatorSettings.class, OperatorSettings.class);

    List<Volume> volumes = new ArrayList<>();
    volumes.add(new VolumeBuilder()
        .withName("config")
        .withNewConfigMap()
        .withName(names.configMap())
        .endConfigMap()
        .build());
    volumes.add(new VolumeBuilder().withName("tmp").withNewEmptyDir().endEmptyDir().build());
    dataVolume(storage).ifPresent(volumes::add);
    tlsSecretName(registry).ifPresent(secret -> volumes.add(new VolumeBuilder()
        .withName("tls")
        .withNewSecret()
        .withSecretName(secret)
        .withDefaultMode(0440)
        .endSecret()
        .build()));
    authVolume(registry).ifPresent(volumes::add);

    return new StatefulSetBuilder()
        .withNewMetadata()
        .withName(names.statefulSet())
        .withNamespace(names.namespace())
        .withLabels(names.labels())
        .endMetadata()
        .withNewSpec()
        .withReplicas(spec.replicasOrDefault())
        .withServiceName(names.headlessService())
        .withPodManagementPolicy("Parallel")
        .withNewSelector()
        .withMatchLabels(names.selectorLabels())
        .endSelector()
        .withNewPersistentVolumeClaimRetentionPolicy()
        .withWhenDeleted(storage.deletionPolicyOrDefault() == DeletionPolicy.Delete ? "Delete" : "Retain")
        .withWhenScaled("Retain")
        .endPersistentVolumeClaimRetentionPolicy()
        .withVolumeClaimTemplates(claimTemplates(names, storage, context))
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(names.labels())
        .withAnnotations(Map.of(CONFIG_HASH_ANNOTATION, ServerConfigRenderer.hash(config)))
        .endMetadata()
        .withNewSpec()
        .withSecurityContext(new PodSecurityContextBuilder()
            .withRunAsNonRoot(true)
            .withRunAsUser(RUN_AS)
            .withRunAsGroup(RUN_AS)
            .withFsGroup(RUN_AS)
            .withFsGroupChangePolicy("OnRootMismatch")
            .withNewSeccompProfile()
            .withType("RuntimeDefault")
            .endSeccompProfile()
            .build())
        .withEnableServiceLinks(false)
        .withTerminationGracePeriodSeconds(30L)
        .withContainers(container(spec, settings))
        .withVolumes(volumes)
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  /**
   * /etc/berth/auth: htpasswd from the user's Secret or the operator's, and the token key from the operator's. A
   * projected volume keeps them in one directory and still follows Secret updates (no subPath).
   */
  static Optional<Volume> authVolume(Registry registry) {
    var auth = registry.getSpec().authOrDefault();
    if (!auth.enabled()) {
      return Optional.empty();
    }
    RegistryNames names = RegistryNames.of(registry);
    List<io.fabric8.kubernetes.api.model.VolumeProjection> sources = new ArrayList<>();
    if (auth.getHtpasswdSecret() != null) {
      sources.add(new io.fabric8.kubernetes.api.model.VolumeProjectionBuilder()
          .withNewSecret().withName(auth.getHtpasswdSecret())
          .addNewItem().withKey(AuthSecretDependent.HTPASSWD).withPath(AuthSecretDependent.HTPASSWD).endItem()
          .endSecret().build());
    }
    if (AuthSecretDependent.wanted(auth)) {
      var own = new io.fabric8.kubernetes.api.model.SecretProjectionBuilder().withName(names.authSecret());
      if (!auth.usersOrEmpty().isEmpty()) {
        own.addNewItem().withKey(AuthSecretDependent.HTPASSWD).withPath(AuthSecretDependent.HTPASSWD).endItem();
      }
      if (auth.modeOrDefault() == dev.berth.operator.spec.AuthMode.Token) {
        own.addNewItem().withKey(AuthSecretDependent.TOKEN_KEY).withPath(AuthSecretDependent.TOKEN_KEY).endItem();
      }
      sources.add(new io.fabric8.kubernetes.api.model.VolumeProjectionBuilder().withSecret(own.build()).build());
    }
    return Optional.of(new VolumeBuilder()
        .withName("auth")
        .withNewProjected().withDefaultMode(0440).withSources(sources).endProjected()
        .build());
  }

  /** The Secret mounted at /etc/berth/tls: the operator's for SelfSigned, the user's for Secret, none when off. */
  static Optional<String> tlsSecretName(Registry registry) {
    var tls = registry.getSpec().tlsOrDefault();
    return switch (tls.modeOrDefault()) {
      case Disabled -> Optional.empty();
      case SelfSigned -> Optional.of(RegistryNames.of(registry).tlsSecret());
      case Secret -> Optional.of(tls.getSecretName());
    };
  }

  private static Container container(RegistrySpec spec, OperatorSettings settings) {
    String scheme = spec.tlsOrDefault().enabled() ? "HTTPS" : "HTTP";
    List<io.fabric8.kubernetes.api.model.VolumeMount> mounts = new ArrayList<>(List.of(
        new VolumeMountBuilder()
            .withName("config")
            .withMountPath(ServerConfigRenderer.CONFIG_PATH)
            .withSubPath(ServerConfigRenderer.CONFIG_FILE)
            .withReadOnly(true)
            .build(),
        new VolumeMountBuilder().withName("tmp").withMountPath("/tmp").build(),
        new VolumeMountBuilder()
            .withName(RegistryNames.DATA_VOLUME)
            .withMountPath(ServerConfigRenderer.DATA_DIR)
            .build()));
    if (spec.authOrDefault().enabled()) {
      mounts.add(new VolumeMountBuilder()
          .withName("auth")
          .withMountPath(ServerConfigRenderer.AUTH_DIR)
          .withReadOnly(true)
          .build());
    }
    if (spec.tlsOrDefault().enabled()) {
      mounts.add(new VolumeMountBuilder()
          .withName("tls")
          .withMountPath(ServerConfigRenderer.TLS_DIR)
          .withReadOnly(true)
          .build());
    }
    String image = spec.getImage() == null || spec.getImage().isBlank() ? settings.registryImage() : spec.getImage();
    return new ContainerBuilder()
        .withName(CONTAINER_NAME)
        .withImage(image)
        .withImagePullPolicy("IfNotPresent")
        .withArgs("serve", ServerConfigRenderer.CONFIG_PATH)
        .addNewPort()
        .withName(PORT_NAME)
        .withContainerPort(ServerConfigRenderer.CONTAINER_PORT)
        .withProtocol("TCP")
        .endPort()
        .withStartupProbe(httpProbe("/healthz", scheme, 2, 60))
        .withLivenessProbe(httpProbe("/healthz", scheme, 10, 3))
        .withReadinessProbe(httpProbe("/readyz", scheme, 5, 2))
        .withResources(resources(spec.getResources()))
        .withSecurityContext(new SecurityContextBuilder()
            .withAllowPrivilegeEscalation(false)
            .withReadOnlyRootFilesystem(true)
            .withRunAsNonRoot(true)
            .withNewCapabilities()
            .withDrop("ALL")
            .endCapabilities()
            .build())
        .withVolumeMounts(mounts)
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

  private static Optional<Volume> dataVolume(StorageSpec storage) {
    return switch (storage.kind()) {
      case CLAIM_TEMPLATE -> Optional.empty(); // the claim template supplies the "data" volume
      case EXISTING_CLAIM -> Optional.of(new VolumeBuilder()
          .withName(RegistryNames.DATA_VOLUME)
          .withNewPersistentVolumeClaim()
          .withClaimName(storage.getExistingClaim())
          .endPersistentVolumeClaim()
          .build());
      case EMPTY_DIR -> {
        EmptyDirStorage emptyDir = storage.getEmptyDir();
        VolumeBuilder volume = new VolumeBuilder().withName(RegistryNames.DATA_VOLUME);
        if (emptyDir.getSizeLimit() != null) {
          volume.withNewEmptyDir().withSizeLimit(new Quantity(emptyDir.getSizeLimit())).endEmptyDir();
        } else {
          volume.withNewEmptyDir().endEmptyDir();
        }
        yield Optional.of(volume.build());
      }
    };
  }

  /**
   * A StatefulSet's claim templates cannot change after creation, so once it exists its templates are kept as they
   * are; size growth is applied to the claims themselves (see the reconciler's claim resizing).
   */
  private List<PersistentVolumeClaim> claimTemplates(
      RegistryNames names, StorageSpec storage, Context<Registry> context) {
    if (storage.kind() != StorageSpec.StorageKind.CLAIM_TEMPLATE) {
      return List.of();
    }
    Optional<StatefulSet> actual = context.getSecondaryResource(StatefulSet.class);
    if (actual.isPresent() && actual.get().getSpec() != null
        && actual.get().getSpec().getVolumeClaimTemplates() != null
        && !actual.get().getSpec().getVolumeClaimTemplates().isEmpty()) {
      return actual.get().getSpec().getVolumeClaimTemplates();
    }
    PersistentVolumeClaimStorage claim = storage.claimTemplateOrDefault();
    PersistentVolumeClaimBuilder template = new PersistentVolumeClaimBuilder()
        .withNewMetadata()
        .withName(RegistryNames.DATA_VOLUME)
        .withLabels(names.labels())
        .endMetadata()
        .withNewSpec()
        .withAccessModes(claim.accessModesOrDefault())
        .withNewResources()
        .addToRequests("storage", new Quantity(claim.sizeOrDefault()))
        .endResources()
        .endSpec();
    if (claim.hasStorageClass()) {
      template.editSpec().withStorageClassName(claim.getStorageClassName()).endSpec();
    }
    return List.of(template.build());
  }
}
