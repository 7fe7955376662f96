package dev.berth.operator.spec;

/** How clients authenticate to the registry. */
public enum AuthMode {
  /** Everyone may do everything (trust the network). */
  None,
  /** HTTP Basic against a bcrypt htpasswd file. */
  Htpasswd,
  /** The Docker token protocol: Basic credentials from the htpasswd file buy short-lived, scoped tokens. */
  Token
}
