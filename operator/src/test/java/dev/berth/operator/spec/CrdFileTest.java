package dev.berth.operator.spec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.operator.OperatorTestSupport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * crds/ holds the CRD generated from the Java classes and is never edited by hand. This test fails when it is stale;
 * {@code -Dberth.updateCrds=true} rewrites it from the build's output instead.
 */
class CrdFileTest {
  static final Path COMMITTED = Path.of("../crds/registries.berth.dev-v1.yml");

  @Test
  void crdsDirectoryMatchesTheGeneratedCrd() throws IOException {
    String generated = Files.readString(OperatorTestSupport.GENERATED_CRD);
    if (Boolean.getBoolean("berth.updateCrds")) {
      Files.createDirectories(COMMITTED.getParent());
      Files.writeString(COMMITTED, generated);
    }
    assertThat(COMMITTED)
        .as("crds/ is stale: run ./mvnw -pl operator test -Dtest=CrdFileTest -Dberth.updateCrds=true and commit crds/")
        .exists();
    assertThat(Files.readString(COMMITTED))
        .as("crds/ is stale: run ./mvnw -pl operator test -Dtest=CrdFileTest -Dberth.updateCrds=true and commit crds/")
        .isEqualTo(generated);
  }

  @Test
  void kustomizationInCrdsListsTheCrd() throws IOException {
    assertThat(Files.readString(COMMITTED.resolveSibling("kustomization.yaml")))
        .contains(COMMITTED.getFileName().toString());
  }
}
