package dev.berth.operator.reconciler;

import dev.berth.operator.plan.NodeAccess;
import dev.berth.operator.spec.Registry;
import dev.berth.operator.status.ConditionState;
import dev.berth.operator.status.RegistryStatus;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Records core/v1 Events on a Registry, as {@code kubectl describe reg} shows them. Never fails a reconcile. */
public final class RegistryEvents {
  public static final String COMPONENT = "berth-operator";
  private static final Logger LOG = LoggerFactory.getLogger(RegistryEvents.class);

  private final KubernetesClient client;
  private final Clock clock;

  public RegistryEvents(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  public void normal(Registry registry, String reason, String message) {
    record(registry, "Normal", reason, message);
  }

  public void warning(Registry registry, String reason, String message) {
    record(registry, "Warning", reason, message);
  }

  /** A node access removal that ended (normal) or timed out (warning). */
  public void record(Registry registry, NodeAccess.RemovalEvent event) {
    if (event.warning()) {
      warning(registry, event.reason(), event.message());
    } else {
      normal(registry, event.reason(), event.message());
    }
  }

  /** One Event per condition that changed status or reason; "Progressing" is normal, other falses are warnings. */
  public void transitions(Registry registry, RegistryStatus previous, List<ConditionState> next) {
    for (ConditionState state : next) {
      Optional<Condition> old = previous == null ? Optional.empty() : previous.condition(state.type());
      boolean changed = old.isEmpty()
          || !Objects.equals(old.get().getStatus(), state.status())
          || !Objects.equals(old.get().getReason(), state.reason());
      if (!changed) {
        continue;
      }
      String message = state.type() + " is " + state.status() + ": " + state.message();
      // a removal the user asked for (node access turned off) is progress too, not trouble
      if (state.isTrue() || state.reason().equals("Progressing") || state.reason().equals("Removing")
          || state.status().equals("Unknown")) {
        normal(registry, state.reason(), message);
      } else {
        warning(registry, state.reason(), message);
      }
    }
  }

  private void record(Registry registry, String type, String reason, String message) {
    String now = Instant.now(clock).toString();
    byte[] suffix = new byte[8];
    ThreadLocalRandom.current().nextBytes(suffix);
    Event event = new EventBuilder()
        .withNewMetadata()
        .withName(registry.getMetadata().getName() + "." + HexFormat.of().formatHex(suffix))
        .withNamespace(registry.getMetadata().getNamespace())
        .endMetadata()
        .withNewInvolvedObject()
        .withApiVersion(registry.getApiVersion())
        .withKind(registry.getKind())
        .withName(registry.getMetadata().getName())
        .withNamespace(registry.getMetadata().getNamespace())
        .withUid(registry.getMetadata().getUid())
        .endInvolvedObject()
        .withType(type)
        .withReason(reason)
        .withMessage(message)
        .withCount(1)
        .withFirstTimestamp(now)
        .withLastTimestamp(now)
        .withNewSource()
        .withComponent(COMPONENT)
        .endSource()
        .withReportingComponent(COMPONENT)
        .build();
    try {
      client.v1().events().inNamespace(registry.getMetadata().getNamespace()).resource(event).create();
    } catch (KubernetesClientException e) {
      LOG.warn("could not record event {} on Registry {}/{}: {}", reason, registry.getMetadata().getNamespace(),
          registry.getMetadata().getName(), e.getMessage());
    }
  }
}
