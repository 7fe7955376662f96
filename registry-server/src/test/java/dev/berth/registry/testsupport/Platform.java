package dev.berth.registry.testsupport;

/** An OCI platform ({@code os}/{@code architecture}) as an index lists it. */
public record Platform(String os, String architecture) {
  public static final Platform LINUX_AMD64 = new Platform("linux", "amd64");
  public static final Platform LINUX_ARM64 = new Platform("linux", "arm64");

  @Override
  public String toString() {
    return os + "/" + architecture;
  }
}
