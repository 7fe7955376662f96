package dev.berth.operator.spec;

/** PersistentVolumeClaim access modes, spelled as Kubernetes spells them. */
public enum AccessMode {
  ReadWriteOnce,
  ReadWriteOncePod,
  ReadWriteMany
}
