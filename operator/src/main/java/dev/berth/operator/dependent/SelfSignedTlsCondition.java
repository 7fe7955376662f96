package dev.berth.operator.dependent;

import dev.berth.operator.spec.Registry;
import dev.berth.operator.spec.TlsMode;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/** The operator's CA and serving certificate exist only while spec.tls.mode is SelfSigned. */
public class SelfSignedTlsCondition implements Condition<Secret, Registry> {
  @Override
  public boolean isMet(DependentResource<Secret, Registry> dependent, Registry registry, Context<Registry> context) {
    return registry.getSpec().tlsOrDefault().modeOrDefault() == TlsMode.SelfSigned;
  }
}
