package dev.berth.operator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.berth.operator.config.BuildInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** deploy/ is what `kubectl apply -k deploy/` installs: complete, consistent with the build, and safe to run. */
class DeployManifestsTest {
  static final Path DEPLOY = Path.of("../deploy");
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  @Test
  void kustomizationIncludesTheCrdAndEveryManifest() throws IOException {
    JsonNode kustomization = YAML.readTree(DEPLOY.resolve("kustomization.yaml").toFile());
    List<String> resources = new ArrayList<>();
    kustomization.path("resources").forEach(r -> resources.add(r.asText()));
    assertThat(resources).contains("../crds");
    try (Stream<Path> files = Files.list(DEPLOY)) {
      List<String> manifests = files.map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".yaml") && !n.equals("kustomization.yaml"))
          .toList();
      assertThat(resources).containsAll(manifests);
    }
    for (String resource : resources) {
      assertThat(DEPLOY.resolve(resource)).as(resource).exists();
    }
  }

  @Test
  void operatorDeploymentMatchesTheBuildAndIsHardened() throws IOException {
    JsonNode deployment = YAML.readTree(DEPLOY.resolve("deployment.yaml").toFile());
    JsonNode pod = deployment.at("/spec/template/spec");
    JsonNode container = pod.at("/containers/0");
    assertThat(container.path("image").asText()).isEqualTo("ghcr.io/berth-dev/operator:" + BuildInfo.load().version());
    assertThat(pod.path("serviceAccountName").asText()).isEqualTo("berth-operator");
    assertThat(container.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/healthz");
    assertThat(container.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/readyz");
    assertThat(container.at("/resources/limits/memory").isMissingNode()).isFalse();
    assertThat(container.at("/securityContext/readOnlyRootFilesystem").asBoolean()).isTrue();
    assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).isTrue();
    List<String> env = new ArrayList<>();
    container.path("env").forEach(e -> env.add(e.path("name").asText() + "=" + e.path("value").asText()));
    assertThat(env).contains("BERTH_LEADER_ELECTION=true", "BERTH_HEALTH_ADDR=:8081");
    assertThat(container.at("/ports/0/containerPort").asInt()).isEqualTo(8081);
    // the namespace everything lives in is the one the namespace manifest makes
    String namespace = YAML.readTree(DEPLOY.resolve("namespace.yaml").toFile()).at("/metadata/name").asText();
    assertThat(deployment.at("/metadata/namespace").asText()).isEqualTo(namespace);
    JsonNode binding = YAML.readTree(DEPLOY.resolve("cluster-role-binding.yaml").toFile());
    assertThat(binding.at("/subjects/0/namespace").asText()).isEqualTo(namespace);
    assertThat(binding.at("/subjects/0/name").asText()).isEqualTo("berth-operator");
  }
}
