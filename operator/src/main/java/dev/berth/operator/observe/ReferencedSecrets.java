package dev.berth.operator.observe;

import dev.berth.operator.spec.AuthSpec;
import dev.berth.operator.spec.Registry;
import dev.berth.operator.spec.TlsMode;
import dev.berth.operator.spec.TlsSpec;
import dev.berth.operator.spec.UserSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The user's Secrets a Registry names (password Secrets of spec.auth.users, auth.htpasswdSecret, tls.secretName,
 * storage.s3.credentialsSecret),
 * watched by one informer: a changed password or certificate reconciles the Registries that name it at once.
 */
public final class ReferencedSecrets {
  public static final String EVENT_SOURCE = "referenced-secrets";
  private static final String INDEX = "berth.dev/referenced-secrets";

  private ReferencedSecrets() {}

  /** The names of the Secrets the spec refers to, in the Registry's namespace. */
  public static Set<String> names(Registry registry) {
    Set<String> names = new TreeSet<>();
    AuthSpec auth = registry.getSpec().authOrDefault();
    if (auth.enabled()) {
      if (auth.getHtpasswdSecret() != null) {
        names.add(auth.getHtpasswdSecret());
      }
      for (UserSpec user : auth.usersOrEmpty()) {
        if (user.getPasswordSecret() != null && user.getPasswordSecret().getName() != null) {
          names.add(user.getPasswordSecret().getName());
        }
      }
    }
    TlsSpec tls = registry.getSpec().tlsOrDefault();
    if (tls.modeOrDefault() == TlsMode.Secret && tls.getSecretName() != null && !tls.getSecretName().isBlank()) {
      names.add(tls.getSecretName());
    }
    var s3 = registry.getSpec().storageOrDefault().getS3();
    if (s3 != null && s3.hasCredentialsSecret()) {
      names.add(s3.getCredentialsSecret());
    }
    return names;
  }

  /** The event source; Secrets map to the Registries naming them through an index on the primary cache. */
  public static InformerEventSource<Secret, Registry> eventSource(EventSourceContext<Registry> context) {
    context.getPrimaryCache().addIndexer(INDEX, registry -> names(registry).stream()
        .map(name -> key(registry.getMetadata().getNamespace(), name))
        .toList());
    var configuration = InformerEventSourceConfiguration.from(Secret.class, Registry.class)
        .withName(EVENT_SOURCE)
        .withSecondaryToPrimaryMapper((Secret secret) -> context.getPrimaryCache()
            .byIndex(INDEX, key(secret.getMetadata().getNamespace(), secret.getMetadata().getName()))
            .stream()
            .map(ResourceID::fromResource)
            .collect(Collectors.toSet()))
        .withPrimaryToSecondaryMapper((Registry registry) -> names(registry).stream()
            .map(name -> new ResourceID(name, registry.getMetadata().getNamespace()))
            .collect(Collectors.toSet()))
        .build();
    return new InformerEventSource<>(configuration, context);
  }

  private static String key(String namespace, String name) {
    return namespace + "/" + name;
  }
}
