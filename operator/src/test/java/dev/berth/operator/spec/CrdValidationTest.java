package dev.berth.operator.spec;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.operator.CrdValidator;
import dev.berth.operator.OperatorTestSupport;
import dev.berth.operator.reconciler.SpecRules;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The generated CRD against example and test Registries, as the API server would judge them: schema with defaults,
 * then CEL rules. Invalid files name the expected complaint in a leading {@code # expect:} comment.
 */
class CrdValidationTest {
  static final Path EXAMPLES = Path.of("../deploy/examples");
  static final Path VALID = Path.of("src/test/resources/registries/valid");
  static final Path INVALID = Path.of("src/test/resources/registries/invalid");

  static CrdValidator validator;

  @BeforeAll
  static void loadCrd() throws IOException {
    validator = new CrdValidator(OperatorTestSupport.GENERATED_CRD);
  }

  static Stream<Path> acceptedFiles() throws IOException {
    return Stream.concat(yamlFiles(EXAMPLES), yamlFiles(VALID));
  }

  static Stream<Path> refusedFiles() throws IOException {
    return yamlFiles(INVALID);
  }

  private static Stream<Path> yamlFiles(Path dir) throws IOException {
    List<Path> files;
    try (Stream<Path> list = Files.list(dir)) {
      files = list.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    if (files.isEmpty()) {
      throw new AssertionError("no YAML files in " + dir);
    }
    return files.stream();
  }

  @Test
  void theExamplesAreThere() {
    assertThat(EXAMPLES.resolve("minimal.yaml")).exists();
    assertThat(EXAMPLES.resolve("persistent.yaml")).exists();
    assertThat(EXAMPLES.resolve("nodeport.yaml")).exists();
    assertThat(EXAMPLES.resolve("secure.yaml")).exists();
  }

  @Test
  void everyRuleCompilesAndAnEmptySpecPasses() throws IOException {
    assertThat(validator.rules()).hasSizeGreaterThanOrEqualTo(4);
    JsonNode empty = CrdValidator.toTree(java.util.Map.of(
        "apiVersion", "berth.dev/v1alpha1", "kind", "Registry", "metadata", java.util.Map.of("name", "x"),
        "spec", java.util.Map.of("storage", java.util.Map.of(), "service", java.util.Map.of())));
    assertThat(validator.violations(empty)).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("acceptedFiles")
  void accepted(Path file) throws IOException {
    JsonNode registry = CrdValidator.readYaml(file);
    assertThat(validator.violations(registry)).as(file.toString()).isEmpty();
    // the operator agrees with the API server
    Registry parsed = CrdValidator.toTree(registry).traverse(new com.fasterxml.jackson.databind.ObjectMapper())
        .readValueAs(Registry.class);
    assertThat(SpecRules.problems(parsed.getSpec(), Optional.empty(), Optional.empty()))
        .as(file.toString())
        .isEmpty();
  }

  @ParameterizedTest
  @MethodSource("refusedFiles")
  void refused(Path file) throws IOException {
    String expected = Files.readAllLines(file).get(0).replaceFirst("^# expect: ", "").trim();
    assertThat(expected).as("first line of " + file + " names the expected complaint").isNotBlank();
    List<String> violations = validator.violations(CrdValidator.readYaml(file));
    assertThat(violations).as(file.toString()).isNotEmpty().anySatisfy(v -> assertThat(v).contains(expected));
  }

  @Test
  void celRefusalsAreAlsoSpecRuleProblems() throws IOException {
    var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
    try (Stream<Path> files = refusedFiles()) {
      for (Path file : files.toList()) {
        List<String> violations = validator.violations(CrdValidator.readYaml(file));
        if (violations.stream().allMatch(v -> v.startsWith("cel "))) {
          Registry parsed = mapper.treeToValue(CrdValidator.readYaml(file), Registry.class);
          assertThat(SpecRules.problems(parsed.getSpec(), Optional.empty(), Optional.empty()))
              .as("operator check for " + file)
              .isNotEmpty();
        }
      }
    }
  }
}
