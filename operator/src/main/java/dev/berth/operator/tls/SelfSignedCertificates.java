package dev.berth.operator.tls;

import dev.berth.operator.observe.Observation;
import dev.berth.operator.names.RegistryNames;
import dev.berth.operator.tls.CertificateAuthority.PemPair;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;

/**
 * For mode SelfSigned: the operator's CA and the serving certificate it signs, decided once per reconcile with the
 * injected clock. What the Secrets hold is kept while it is good: the CA until it nears expiry, the certificate while
 * it is signed by the current CA, names exactly the wanted hosts and is more than
 * {@link CertificateAuthority#RENEW_BEFORE} from expiry; otherwise a new one is made (the server reloads it).
 *
 * @param ca the CA ({@code <name>-ca}: ca.crt, ca.key)
 * @param serving the serving certificate ({@code <name>-tls}: tls.crt, tls.key, and ca.crt beside them)
 */
public record SelfSignedCertificates(PemPair ca, PemPair serving) {

  public static SelfSignedCertificates decide(Observation seen, RegistryNames names) {
    Instant now = seen.now();
    PemPair ca = seen.secret(names.caSecret())
        .flatMap(s -> TlsKeys.pair(s, TlsKeys.CA_CERT, TlsKeys.CA_KEY))
        .filter(pair -> !CertificateAuthority.needsRenewal(
            CertificateAuthority.parseCertificate(pair.certificate()), now))
        .orElseGet(() -> CertificateAuthority.newCa(
            "berth " + names.namespace() + "/" + names.name() + " CA", now));
    X509Certificate caCert = CertificateAuthority.parseCertificate(ca.certificate());
    Set<String> hosts = hostnames(seen, names);
    PemPair serving = seen.secret(names.tlsSecret())
        .flatMap(s -> TlsKeys.pair(s, TlsKeys.TLS_CERT, TlsKeys.TLS_KEY))
        .filter(pair -> {
          X509Certificate cert = CertificateAuthority.parseCertificate(pair.certificate());
          return CertificateAuthority.signedBy(cert, caCert)
              && CertificateAuthority.subjectAlternativeNames(cert).equals(hosts)
              && !CertificateAuthority.needsRenewal(cert, now);
        })
        .orElseGet(() -> CertificateAuthority.issue(ca, names.serviceDnsNames().get(3), hosts, now));
    return new SelfSignedCertificates(ca, serving);
  }

  /** Service DNS names, the ClusterIP once assigned, localhost (port-forwards, probes) and spec.tls.extraHostnames. */
  static Set<String> hostnames(Observation seen, RegistryNames names) {
    Set<String> hosts = new TreeSet<>(names.serviceDnsNames());
    hosts.add("localhost");
    hosts.add("127.0.0.1");
    seen.clusterIp().ifPresent(hosts::add);
    hosts.addAll(seen.registry().getSpec().tlsOrDefault().extraHostnamesOrEmpty());
    return hosts;
  }

  public X509Certificate servingCertificate() {
    return CertificateAuthority.parseCertificate(serving.certificate());
  }
}
