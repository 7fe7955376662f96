package dev.berth.operator.spec;

/** What a user may do on a repository. */
public enum RegistryAction {
  pull,
  push,
  delete
}
