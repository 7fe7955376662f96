package dev.berth.registry.tls;

import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code http.tls.minimumtls}: the protocols a server offers. Nothing below TLS 1.2 is ever offered. */
public enum MinimumTlsVersion {
  TLS1_2(List.of("TLSv1.3", "TLSv1.2")),
  TLS1_3(List.of("TLSv1.3"));

  private static final Logger LOG = LoggerFactory.getLogger(MinimumTlsVersion.class);

  private final List<String> protocols;

  MinimumTlsVersion(List<String> protocols) {
    this.protocols = protocols;
  }

  public List<String> protocols() {
    return protocols;
  }

  /**
   * Parses the registry:2 spelling ({@code tls1.2}, {@code tls1.3}); empty means tls1.2. The obsolete
   * {@code tls1.0}/{@code tls1.1} of old registry:2 configs are raised to tls1.2 with a warning rather than refused, so
   * such a config keeps working, safely.
   */
  public static MinimumTlsVersion parse(String value) {
    if (value == null || value.isBlank()) {
      return TLS1_2;
    }
    switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "tls1.2":
        return TLS1_2;
      case "tls1.3":
        return TLS1_3;
      case "tls1.0":
      case "tls1.1":
        LOG.warn("http.tls.minimumtls {} is obsolete and insecure; serving TLS 1.2 and 1.3 only", value);
        return TLS1_2;
      default:
        throw new TlsMaterialException(
            "http.tls.minimumtls: unknown value '" + value + "'; use tls1.2 or tls1.3");
    }
  }
}
