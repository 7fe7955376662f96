package dev.berth.registry.cli;

import dev.berth.registry.gc.GcEvents;
import dev.berth.registry.oci.Digest;
import dev.berth.registry.oci.RepositoryName;
import java.io.PrintWriter;

/** Prints a collection's progress in the line format of distribution's {@code registry garbage-collect}. */
final class DistributionStyleEvents implements GcEvents {
  private final PrintWriter out;

  DistributionStyleEvents(PrintWriter out) {
    this.out = out;
  }

  @Override
  public void repository(RepositoryName repo) {
    out.println(repo);
  }

  @Override
  public void markedManifest(RepositoryName repo, Digest digest) {
    out.println(repo + ": marking manifest " + digest);
  }

  @Override
  public void markedBlob(RepositoryName repo, Digest digest) {
    out.println(repo + ": marking blob " + digest);
  }

  @Override
  public void eligible(String kind, RepositoryName repo, String what) {
    out.println((repo == null ? "" : repo + ": ") + kind + " eligible for deletion: " + what);
  }

  @Override
  public void deleted(String kind, RepositoryName repo, String what) {
    out.println((repo == null ? "" : repo + ": ") + "deleting " + kind + ": " + what);
  }
}
