package dev.berth.operator.observe;

import dev.berth.operator.spec.Registry;
import dev.berth.operator.spec.RegistrySpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Observations built by hand, for testing the steps after observe without an API server. */
public final class Observations {
  private Observations() {}

  public static Registry registry(String name, RegistrySpec spec) {
    Registry registry = new Registry();
    registry.getMetadata().setName(name);
    registry.getMetadata().setNamespace("registry");
    registry.getMetadata().setGeneration(1L);
    registry.setSpec(spec);
    return registry;
  }

  /** Nothing exists yet but the Registry and these Secrets. */
  public static Observation of(Registry registry, Instant now, Secret... secrets) {
    Map<String, Secret> byName = new HashMap<>();
    for (Secret secret : secrets) {
      byName.put(secret.getMetadata().getName(), secret);
    }
    return new Observation(registry, now, Optional.empty(), Optional.empty(), Optional.empty(), Map.copyOf(byName),
        Map.of(), false, List.of(), Optional.empty(), Optional.empty(), Optional.empty());
  }

  public static Secret secret(String name, Map<String, String> text) {
    Map<String, String> data = new HashMap<>();
    text.forEach((k, v) -> data.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
    return new SecretBuilder().withNewMetadata().withName(name).withNamespace("registry").endMetadata()
        .withData(data).build();
  }

  /** The Secret a dependent would write from this data (base64 values). */
  public static Secret written(String name, Map<String, String> data) {
    return new SecretBuilder().withNewMetadata().withName(name).withNamespace("registry").endMetadata()
        .withData(data).build();
  }
}
