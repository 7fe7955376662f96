package dev.berth.operator.spec;

/** Where the registry's serving certificate comes from. */
public enum TlsMode {
  /** Plain HTTP. */
  Disabled,
  /** The operator makes a CA and a serving certificate, stores them in Secrets and renews them before expiry. */
  SelfSigned,
  /** A kubernetes.io/tls Secret the user (or cert-manager) keeps current. */
  Secret
}
