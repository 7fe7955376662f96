package dev.berth.operator.plan;

import dev.berth.operator.auth.AuthSecretContent;
import dev.berth.operator.config.OperatorSettings;
import dev.berth.operator.names.RegistryNames;
import dev.berth.operator.observe.Observation;
import dev.berth.operator.spec.Registry;
import dev.berth.operator.spec.RegistrySpec;
import dev.berth.operator.spec.S3Storage;
import dev.berth.operator.spec.TlsMode;
import dev.berth.operator.storage.StoragePlan;
import dev.berth.operator.tls.RegistryTrust;
import dev.berth.operator.tls.SelfSignedCertificates;
import dev.berth.operator.tls.TlsKeys;
import java.util.Optional;

/** The plan step: turns a valid spec and what was observed into the {@link RegistryPlan}. */
public final class Planner {
  private final OperatorSettings settings;

  public Planner(OperatorSettings settings) {
    this.settings = settings;
  }

  public RegistryPlan plan(Observation seen) {
    Registry registry = seen.registry();
    RegistrySpec spec = registry.getSpec();
    RegistryNames names = RegistryNames.of(registry);
    String config = ServerConfigRenderer.render(spec);
    Optional<SelfSignedCertificates> selfSigned = spec.tlsOrDefault().modeOrDefault() == TlsMode.SelfSigned
        ? Optional.of(SelfSignedCertificates.decide(seen, names))
        : Optional.empty();
    Optional<RegistryTrust> trust = RegistryTrust.of(seen, selfSigned);
    String image = spec.getImage() == null || spec.getImage().isBlank() ? settings.registryImage() : spec.getImage();
    return new RegistryPlan(
        names,
        image,
        settings.nodeAgentImage(),
        config,
        ServerConfigRenderer.hash(config),
        TlsKeys.servingSecret(registry),
        selfSigned,
        trust,
        AuthSecretContent.plan(seen, names),
        StoragePlan.of(spec.storageOrDefault(), names, seen.statefulSet()),
        NodeAccess.decide(seen, trust),
        s3CredentialsVersion(seen),
        MonitoringPlan.decide(seen));
  }

  private static Optional<String> s3CredentialsVersion(Observation seen) {
    S3Storage s3 = seen.registry().getSpec().storageOrDefault().getS3();
    if (s3 == null || !s3.hasCredentialsSecret()) {
      return Optional.empty();
    }
    return seen.secret(s3.getCredentialsSecret())
        .map(secret -> secret.getMetadata().getResourceVersion())
        .filter(version -> version != null && !version.isBlank());
  }
}
