package dev.berth.operator;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Plays the parts of the StatefulSet controller and the volume provisioner that the mock API server lacks: makes the
 * claims of the claim templates (named and labelled as the real controller does) and reports replicas ready.
 */
public final class StatefulSetControllerDouble {
  private final KubernetesClient client;

  public StatefulSetControllerDouble(KubernetesClient client) {
    this.client = client;
  }

  /** Creates missing claims in the given phase and marks {@code ready} of the StatefulSet's replicas ready. */
  public void settle(String namespace, String name, String claimPhase, int ready) {
    StatefulSet sts = client.apps().statefulSets().inNamespace(namespace).withName(name).get();
    if (sts == null) {
      throw new AssertionError("no StatefulSet " + namespace + "/" + name + " to play the controller for");
    }
    int replicas = sts.getSpec().getReplicas();
    List<PersistentVolumeClaim> templates = sts.getSpec().getVolumeClaimTemplates();
    for (int i = 0; i < replicas && templates != null; i++) {
      for (PersistentVolumeClaim template : templates) {
        String claimName = template.getMetadata().getName() + "-" + name + "-" + i;
        if (client.persistentVolumeClaims().inNamespace(namespace).withName(claimName).get() != null) {
          continue;
        }
        Map<String, String> labels = new HashMap<>();
        if (template.getMetadata().getLabels() != null) {
          labels.putAll(template.getMetadata().getLabels());
        }
        labels.putAll(sts.getSpec().getSelector().getMatchLabels());
        // the DefaultStorageClass admission plugin names the default class on claims that name none
        var spec = new io.fabric8.kubernetes.api.model.PersistentVolumeClaimSpecBuilder(template.getSpec()).build();
        if (spec.getStorageClassName() == null) {
          client.storage().v1().storageClasses().list().getItems().stream()
              .filter(sc -> sc.getMetadata().getAnnotations() != null && "true".equals(
                  sc.getMetadata().getAnnotations().get("storageclass.kubernetes.io/is-default-class")))
              .findFirst()
              .ifPresent(sc -> spec.setStorageClassName(sc.getMetadata().getName()));
        }
        PersistentVolumeClaim claim = new PersistentVolumeClaimBuilder()
            .withNewMetadata()
            .withName(claimName)
            .withNamespace(namespace)
            .withLabels(labels)
            .endMetadata()
            .withSpec(spec)
            .withNewStatus()
            .withPhase(claimPhase)
            .endStatus()
            .build();
        client.persistentVolumeClaims().inNamespace(namespace).resource(claim).create();
      }
    }
    sts.setStatus(new StatefulSetStatusBuilder()
        .withReplicas(replicas)
        .withReadyReplicas(ready)
        .withAvailableReplicas(ready)
        .withCurrentReplicas(replicas)
        .withUpdatedReplicas(replicas)
        .withObservedGeneration(sts.getMetadata().getGeneration())
        .build());
    client.apps().statefulSets().inNamespace(namespace).resource(sts).updateStatus();
  }
}
