package dev.berth.operator.plan;

import dev.berth.operator.names.RegistryNames;
import dev.berth.operator.spec.Registry;
import dev.berth.operator.storage.StoragePlan;
import dev.berth.operator.tls.RegistryTrust;
import dev.berth.operator.tls.SelfSignedCertificates;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.util.Map;
import java.util.Optional;

/**
 * The desired state of one Registry, computed once per reconcile before the workflow runs. Every dependent renders its
 * object from the primary and this plan alone, and finds it the same way ({@link #of(Context)}).
 *
 * <p>It travels in the reconcile's own workflow context, under its class as the one key: that context is made for
 * each reconcile and dropped after it, so a dependent can never see another reconcile's plan, and no cache keyed by
 * ResourceID has to be filled, cleaned and shared between threads.
 *
 * @param names names and labels of everything made
 * @param registryImage the registry-server image (spec.image, else the operator's default)
 * @param nodeAgentImage the node agent's image (the operator's own)
 * @param serverConfig the rendered config.yaml
 * @param serverConfigHash its hash, the pod template annotation that rolls pods when the config changes
 * @param servingSecret the Secret mounted at the TLS directory, when TLS is on
 * @param selfSigned the operator's CA and serving certificate, for mode SelfSigned
 * @param trust what nodes trust; empty while the user's CA is not there
 * @param authSecretData data of the operator's auth Secret, when it keeps one
 * @param storage the data volume or claim templates
 * @param nodeAccess the node access decision
 * @param s3CredentialsVersion the S3 credentials Secret's resourceVersion, the pod template annotation that restarts
 *     the pods when the keys rotate (environment variables from a Secret are read at container start only); the
 *     version rather than a hash of the keys, since a hash of a weak key in a readable annotation can be guessed
 * @param monitoring whether the ServiceMonitor and PrometheusRule are wanted and possible
 */
public record RegistryPlan(
    RegistryNames names,
    String registryImage,
    String nodeAgentImage,
    String serverConfig,
    String serverConfigHash,
    Optional<String> servingSecret,
    Optional<SelfSignedCertificates> selfSigned,
    Optional<RegistryTrust> trust,
    Optional<Map<String, String>> authSecretData,
    StoragePlan storage,
    NodeAccess.Decision nodeAccess,
    Optional<String> s3CredentialsVersion,
    MonitoringPlan monitoring) {

  /** The plan of the running reconcile. */
  public static RegistryPlan of(Context<Registry> context) {
    return context.managedWorkflowAndDependentResourceContext().getMandatory(RegistryPlan.class, RegistryPlan.class);
  }

  /** Hands this plan to the workflow's dependents; called once, before the workflow runs. */
  public void handTo(Context<Registry> context) {
    context.managedWorkflowAndDependentResourceContext().put(RegistryPlan.class, this);
  }

  public NodeAccessState nodeAccessState() {
    return nodeAccess.state();
  }
}
