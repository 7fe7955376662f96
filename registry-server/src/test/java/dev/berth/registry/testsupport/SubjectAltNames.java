package dev.berth.registry.testsupport;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * A certificate's subjectAltName entries with their type kept, as {@code DNS:name} and {@code IP:address}: a check on
 * bare names would pass a certificate that carries an IP address as a DNS name, which clients refuse for that IP.
 */
public final class SubjectAltNames {
  /** GeneralName tags of RFC 5280 section 4.2.1.6, as {@link X509Certificate#getSubjectAlternativeNames()} gives them. */
  private static final int DNS_NAME = 2;
  private static final int IP_ADDRESS = 7;

  private SubjectAltNames() {}

  /** Every entry of {@code certificate}'s subjectAltName, typed; other kinds appear as {@code type<N>:value}. */
  public static Set<String> of(X509Certificate certificate) {
    Set<String> names = new TreeSet<>();
    try {
      if (certificate.getSubjectAlternativeNames() == null) {
        return names;
      }
      for (List<?> entry : certificate.getSubjectAlternativeNames()) {
        int type = (Integer) entry.get(0);
        String prefix = switch (type) {
          case DNS_NAME -> "DNS:";
          case IP_ADDRESS -> "IP:";
          default -> "type" + type + ":";
        };
        names.add(prefix + entry.get(1));
      }
    } catch (CertificateParsingException e) {
      throw new IllegalArgumentException("unreadable subjectAltName: " + e.getMessage(), e);
    }
    return names;
  }

  public static Set<String> dns(String... names) {
    return Arrays.stream(names).map(name -> "DNS:" + name).collect(Collectors.toCollection(TreeSet::new));
  }

  public static Set<String> ip(String... addresses) {
    return Arrays.stream(addresses).map(address -> "IP:" + address).collect(Collectors.toCollection(TreeSet::new));
  }
}
