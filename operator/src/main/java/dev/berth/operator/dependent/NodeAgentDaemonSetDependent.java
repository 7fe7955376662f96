package dev.berth.operator.dependent;

import dev.berth.operator.nodeaccess.NodeAgentHostMounts;
import dev.berth.operator.plan.NodeAccessPlanRenderer;
import dev.berth.operator.names.RegistryNames;

import dev.berth.operator.plan.RegistryPlan;
import dev.berth.operator.spec.NodeAccessSpec;
import dev.berth.operator.spec.NodeLocalSpec;
import dev.berth.operator.spec.Registry;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.util.ArrayList;
import java.util.List;

/**
 * The node agent DaemonSet {@code <name>-node-agent}: the operator image's {@code node-agent} command on every selected
 * node, as root (the files are root-owned) but without privileged mode, host namespaces or any capability, with
 * hostPath mounts of only the directories it writes ({@link NodeAgentHostMounts}) and the plan as a mounted file.
 */
@KubernetesDependent(informer = @Informer(labelSelector = RegistryNames.MANAGED_SELECTOR))
public class NodeAgentDaemonSetDependent extends CRUDKubernetesDependentResource<DaemonSet, Registry> {
  public static final String CONTAINER_NAME = "node-agent";
  public static final String PLAN_DIR = "/etc/berth/node-access";
  public static final String NODE_LOCAL_PORT_NAME = "node-local";

  public NodeAgentDaemonSetDependent() {
    super(DaemonSet.class);
  }

  @Override
  protected DaemonSet desired(Registry registry, Context<Registry> context) {
    RegistryNames names = RegistryNames.of(registry);
    NodeAccessSpec spec = registry.getSpec().nodeAccessOrDefault();
    String image = RegistryPlan.of(context).nodeAgentImage();
    List<NodeAgentHostMounts.HostMount> hostMounts = NodeAgentHostMounts.forSpec(spec);

    List<Volume> volumes = new ArrayList<>();
    volumes.add(new VolumeBuilder()
        .withName("plan")
        .withNewConfigMap()
        .withName(names.nodeAccessPlan())
        .addNewItem().withKey(NodeAccessPlanRenderer.PLAN_KEY).withPath(NodeAccessPlanRenderer.PLAN_KEY).endItem()
        .endConfigMap()
        .build());
    volumes.add(new VolumeBuilder().withName("tmp").withNewEmptyDir().endEmptyDir().build());
    for (NodeAgentHostMounts.HostMount mount : hostMounts) {
      volumes.add(new VolumeBuilder()
          .withName(mount.volume())
          .withNewHostPath().withPath(mount.hostPath()).withType("DirectoryOrCreate").endHostPath()
          .build());
    }

    return new DaemonSetBuilder()
        .withNewMetadata()
        .withName(names.nodeAgent())
        .withNamespace(names.namespace())
        .withLabels(names.nodeAgentLabels())
        .endMetadata()
        .withNewSpec()
        .withNewSelector()
        .withMatchLabels(names.nodeAgentSelectorLabels())
        .endSelector()
        .withNewUpdateStrategy()
        .withType("RollingUpdate")
        .endUpdateStrategy()
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(names.nodeAgentLabels())
        .endMetadata()
        .withNewSpec()
        .withServiceAccountName(names.nodeAgent())
        .withEnableServiceLinks(false)
        .withTerminationGracePeriodSeconds(30L)
        .withNodeSelector(spec.nodeSelectorOrEmpty().isEmpty() ? null : spec.nodeSelectorOrEmpty())
        .withTolerations(spec.tolerationsOrEmpty().isEmpty() ? null : spec.tolerationsOrEmpty())
        .withNewSecurityContext()
        .withNewSeccompProfile()
        .withType("RuntimeDefault")
        .endSeccompProfile()
        .endSecurityContext()
        .withContainers(container(names, spec, image, hostMounts))
        .withVolumes(volumes)
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  private static Container container(RegistryNames names, NodeAccessSpec spec, String image,
      List<NodeAgentHostMounts.HostMount> hostMounts) {
    List<VolumeMount> mounts = new ArrayList<>();
    mounts.add(new VolumeMountBuilder().withName("plan").withMountPath(PLAN_DIR).withReadOnly(true).build());
    mounts.add(new VolumeMountBuilder().withName("tmp").withMountPath("/tmp").build());
    for (NodeAgentHostMounts.HostMount mount : hostMounts) {
      mounts.add(new VolumeMountBuilder()
          .withName(mount.volume())
          .withMountPath(mount.mountPath())
          .withReadOnly(mount.readOnly() ? true : null)
          .build());
    }
    ContainerBuilder container = new ContainerBuilder()
        .withName(CONTAINER_NAME)
        .withImage(image)
        .withArgs(args(names))
        .withEnv(
            new EnvVarBuilder()
                .withName("NODE_NAME")
                .withNewValueFrom().withNewFieldRef().withFieldPath("spec.nodeName").endFieldRef().endValueFrom()
                .build(),
            new EnvVarBuilder()
                .withName("JAVA_TOOL_OPTIONS")
                .withValue("-XX:MaxRAMPercentage=60 -XX:+UseSerialGC -XX:TieredStopAtLevel=1")
                .build())
        .withResources(new ResourceRequirementsBuilder()
            .addToRequests("cpu", new Quantity("10m"))
            .addToRequests("memory", new Quantity("96Mi"))
            .addToLimits("memory", new Quantity("256Mi"))
            .build())
        // root for root-owned host files; nothing more: no privileged mode, no capabilities, no escalation
        .withSecurityContext(new SecurityContextBuilder()
            .withRunAsUser(0L)
            .withRunAsGroup(0L)
            .withRunAsNonRoot(false)
            .withPrivileged(false)
            .withAllowPrivilegeEscalation(false)
            .withReadOnlyRootFilesystem(true)
            .withNewCapabilities()
            .withDrop("ALL")
            .endCapabilities()
            .build())
        .withVolumeMounts(mounts);
    NodeLocalSpec nodeLocal = spec.nodeLocalOrDefault();
    if (nodeLocal.enabledOrDefault()) {
      // only the node's loopback: the forwarder is for the node's own runtime, not for the network
      container.withPorts(new ContainerPortBuilder()
          .withName(NODE_LOCAL_PORT_NAME)
          .withProtocol("TCP")
          .withContainerPort(nodeLocal.portOrDefault())
          .withHostPort(nodeLocal.portOrDefault())
          .withHostIP("127.0.0.1")
          .build());
    }
    return container.build();
  }

  static List<String> args(RegistryNames names) {
    return List.of(
        "node-agent",
        "--plan-file", PLAN_DIR + "/" + NodeAccessPlanRenderer.PLAN_KEY,
        "--state-dir", NodeAgentHostMounts.HOST_ROOT + NodeAgentHostMounts.stateDir(names.namespace(), names.name()),
        "--host-root", NodeAgentHostMounts.HOST_ROOT,
        "--report-namespace", names.namespace(),
        "--report-configmap", names.nodeReports());
  }
}
