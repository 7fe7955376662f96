package dev.berth.operator.dependent;

import dev.berth.operator.dependent.CertificateAuthority.PemPair;
import dev.berth.operator.spec.Registry;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The Secret {@code <name>-tls} (kubernetes.io/tls: tls.crt, tls.key, ca.crt), mounted at /etc/berth/tls. The
 * certificate is kept while it is signed by the current CA, names exactly the wanted hosts and is more than
 * {@link CertificateAuthority#RENEW_BEFORE} from expiry; otherwise a new one is issued (the server reloads it).
 */
@KubernetesDependent(informer = @Informer(labelSelector = RegistryNames.MANAGED_SELECTOR))
public class TlsSecretDependent extends CRUDKubernetesDependentResource<Secret, Registry> {
  public static final String TLS_CERT = "tls.crt";
  public static final String TLS_KEY = "tls.key";
  public static final String CA_CERT = "ca.crt";

  public TlsSecretDependent() {
    super(Secret.class);
  }

  @Override
  protected Secret desired(Registry registry, Context<Registry> context) {
    RegistryNames names = RegistryNames.of(registry);
    PemPair ca = CaSecretDependent.current(names, context)
        .orElseThrow(() -> new IllegalStateException("CA Secret " + names.caSecret() + " is not there yet"));
    Set<String> hosts = hostnames(registry, context);
    Instant now = Instant.now();
    X509Certificate caCert = CertificateAuthority.parseCertificate(ca.certificate());
    PemPair serving = current(names, context)
        .filter(pair -> {
          X509Certificate cert = CertificateAuthority.parseCertificate(pair.certificate());
          return CertificateAuthority.signedBy(cert, caCert)
              && CertificateAuthority.subjectAlternativeNames(cert).equals(hosts)
              && !CertificateAuthority.needsRenewal(cert, now);
        })
        .orElseGet(() -> CertificateAuthority.issue(ca, names.serviceDnsNames().get(3), hosts, now));
    Map<String, String> data = new LinkedHashMap<>();
    data.put(TLS_CERT, CaSecretDependent.b64(serving.certificate()));
    data.put(TLS_KEY, CaSecretDependent.b64(serving.privateKey()));
    data.put(CA_CERT, CaSecretDependent.b64(ca.certificate()));
    return new SecretBuilder()
        .withNewMetadata()
        .withName(names.tlsSecret())
        .withNamespace(names.namespace())
        .withLabels(names.labels())
        .endMetadata()
        .withType("kubernetes.io/tls")
        .withData(data)
        .build();
  }

  /** Service DNS names, the ClusterIP once assigned, localhost (port-forwards, probes) and spec.tls.extraHostnames. */
  static Set<String> hostnames(Registry registry, Context<Registry> context) {
    RegistryNames names = RegistryNames.of(registry);
    Set<String> hosts = new TreeSet<>(names.serviceDnsNames());
    hosts.add("localhost");
    hosts.add("127.0.0.1");
    context.getSecondaryResources(Service.class).stream()
        .filter(s -> names.clientService().equals(s.getMetadata().getName()))
        .map(s -> s.getSpec() == null ? null : s.getSpec().getClusterIP())
        .filter(ip -> ip != null && !ip.isBlank() && !"None".equals(ip))
        .forEach(hosts::add);
    hosts.addAll(registry.getSpec().tlsOrDefault().extraHostnamesOrEmpty());
    return hosts;
  }

  static Optional<PemPair> current(RegistryNames names, Context<Registry> context) {
    return context.getSecondaryResources(Secret.class).stream()
        .filter(s -> names.tlsSecret().equals(s.getMetadata().getName()))
        .findFirst()
        .flatMap(s -> CaSecretDependent.pair(s, TLS_CERT, TLS_KEY));
  }
}
