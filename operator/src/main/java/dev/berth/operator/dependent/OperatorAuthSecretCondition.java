package dev.berth.operator.dependent;

import dev.berth.operator.auth.AuthKeys;
import dev.berth.operator.spec.Registry;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/** The operator's auth Secret exists only when there are users to render or a token key to keep. */
public class OperatorAuthSecretCondition implements Condition<Secret, Registry> {
  @Override
  public boolean isMet(DependentResource<Secret, Registry> dependent, Registry registry, Context<Registry> context) {
    return AuthKeys.operatorSecretWanted(registry.getSpec().authOrDefault());
  }
}
