package dev.berth.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import dev.berth.operator.config.BuildInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * deploy/helm/berth through real Helm (helm-java carries Helm's native library): it lints clean, installs the CRD the
 * build generates, renders exactly the operator objects {@code kubectl kustomize deploy/} gives for the same settings
 * (so its RBAC is the one RbacTest proves), and turns each example's twuni-style values into a Registry the API server
 * would accept. A twuni key with no Registry field yet fails the render, naming the key.
 */
class HelmChartTest {
  static final Path DEPLOY = Path.of("../deploy");
  static final Path CHART = DEPLOY.resolve("helm/berth");
  static final Path EXAMPLES = DEPLOY.resolve("helm/examples");
  static final Path CHART_CRD = CHART.resolve("crds/registries.berth.dev-v1.yml");
  static final String RELEASE = "berth";
  static final String NAMESPACE = "berth-system";
  static final String CRD_ID = "CustomResourceDefinition//registries.berth.dev";
  /** Labels Helm charts carry for Helm's sake; deploy/ has none of them. Removed only from object metadata. */
  static final List<String> HELM_LABELS = List.of("helm.sh/chart", "app.kubernetes.io/managed-by",
      "app.kubernetes.io/instance", "app.kubernetes.io/version");
  static final List<String> OPERATOR_KINDS = List.of("Namespace", "ServiceAccount", "ClusterRole",
      "ClusterRoleBinding", "Role", "RoleBinding", "Deployment");

  static CrdValidator validator;

  @TempDir
  Path temp;

  @BeforeAll
  static void loadCrd() throws IOException {
    validator = new CrdValidator(OperatorTestSupport.GENERATED_CRD);
  }

  @Test
  void theChartInstallsTheGeneratedCrd() throws IOException {
    String generated = Files.readString(OperatorTestSupport.GENERATED_CRD);
    if (Boolean.getBoolean("berth.updateCrds")) {
      Files.writeString(CHART_CRD, generated);
    }
    String stale = "the chart's crds/ is stale: run ./mvnw -pl operator test -Dtest='CrdFileTest,HelmChartTest'"
        + " -Dberth.updateCrds=true and commit crds/ and deploy/helm/berth/crds/";
    assertThat(Files.readString(CHART_CRD)).as(stale).isEqualTo(generated);
    try (Stream<Path> files = Files.list(CHART_CRD.getParent())) {
      assertThat(files.map(p -> p.getFileName().toString()).toList())
          .as("crds/ holds the generated CRD and nothing else").containsExactly(CHART_CRD.getFileName().toString());
    }
  }

  @Test
  void chartVersionIsTheProjectVersion() throws IOException {
    JsonNode chart = CrdValidator.readYaml(CHART.resolve("Chart.yaml"));
    assertThat(chart.path("version").asText()).isEqualTo(BuildInfo.load().version());
    assertThat(chart.path("appVersion").asText()).isEqualTo(BuildInfo.load().version());
  }

  @Test
  void lintsCleanInStrictMode() {
    LintResult lint = new Helm(CHART).lint().strict().call();
    assertThat(lint.isFailed()).as(String.join("\n", lint.getMessages())).isFalse();
    assertThat(lint.getMessages()).noneMatch(m -> m.contains("[WARNING]") || m.contains("[ERROR]"));
  }

  @Test
  void defaultValuesRenderWhatDeployHoldsButTheNamespace() throws IOException {
    Map<String, JsonNode> expected = deployedByHelm();

    List<JsonNode> rendered = render(t -> { });

    assertObjectsEqual(operatorObjects(rendered), expected);
    assertThat(rendered).extracting(o -> o.path("kind").asText()).doesNotContain("Registry", "Secret");
  }

  @Test
  void withNamespaceCreateItRendersExactlyDeploy() throws IOException {
    Map<String, JsonNode> expected = operatorObjects(KustomizeBuild.build(DEPLOY));
    JsonNode crd = expected.remove(CRD_ID);
    // Helm installs crds/ itself (helm template leaves it out): the chart's file is the CRD deploy/ applies
    assertThat(crd).isEqualTo(CrdValidator.readYaml(CHART_CRD));

    assertObjectsEqual(operatorObjects(render(t -> t.set("namespace.create", true))), expected);
  }

  @Test
  void operatorSettingsReachTheDeploymentAsDeployWouldNeedThemEdited() throws IOException {
    Map<String, JsonNode> expected = deployedByHelm();
    // the same settings made by hand in deploy/: no Lease Role, env and scheduling on the Deployment
    expected.remove("Role/" + NAMESPACE + "/berth-operator-leader-election");
    expected.remove("RoleBinding/" + NAMESPACE + "/berth-operator-leader-election");
    ObjectNode deployment = (ObjectNode) expected.get("Deployment/" + NAMESPACE + "/berth-operator");
    ObjectNode pod = (ObjectNode) deployment.at("/spec/template/spec");
    ObjectNode container = (ObjectNode) pod.at("/containers/0");
    container.put("image", "example.com/berth/operator:1.2.3");
    ArrayNode env = (ArrayNode) container.get("env");
    for (JsonNode variable : env) {
      if (variable.path("name").asText().equals("BERTH_LEADER_ELECTION")) {
        ((ObjectNode) variable).put("value", "false");
      }
    }
    env.addObject().put("name", "BERTH_WATCH_NAMESPACES").put("value", "team-a,team-b");
    env.addObject().put("name", "BERTH_REGISTRY_IMAGE").put("value", "example.com/berth/registry:1.2.3");
    env.addObject().put("name", "BERTH_RECHECK_SECONDS").put("value", "10");
    pod.putObject("nodeSelector").put("kubernetes.io/os", "linux");

    Path values = temp.resolve("operator.yaml");
    Files.writeString(values, """
        leaderElection: {enabled: false}
        image: {repository: example.com/berth/operator, tag: "1.2.3"}
        watchNamespaces: [team-a, team-b]
        registryImage: example.com/berth/registry:1.2.3
        recheckSeconds: 10
        nodeSelector: {kubernetes.io/os: linux}
        """);
    List<JsonNode> rendered = render(t -> t.withValuesFile(values));

    assertObjectsEqual(operatorObjects(rendered), expected);
  }

  static Stream<Path> examples() throws IOException {
    try (Stream<Path> files = Files.list(EXAMPLES)) {
      List<Path> examples = files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
      assertThat(examples).as("example values in " + EXAMPLES).isNotEmpty();
      return examples.stream();
    }
  }

  @ParameterizedTest
  @MethodSource("examples")
  void eachExampleRendersDeploysOperatorAndARegistryTheApiServerAccepts(Path example) throws IOException {
    Map<String, JsonNode> expected = deployedByHelm();

    List<JsonNode> rendered = render(t -> t.withValuesFile(example));

    assertObjectsEqual(operatorObjects(rendered), expected);
    List<JsonNode> registries = ofKind(rendered, "Registry");
    assertThat(registries).as(example + " renders one Registry").hasSize(1);
    assertThat(validator.violations(registries.get(0))).as(example.toString()).isEmpty();
  }

  @Test
  void twuniValuesMapToTheirRegistryFields() throws IOException {
    List<JsonNode> rendered = render(t -> t.withValuesFile(EXAMPLES.resolve("registry-twuni.yaml")));

    JsonNode registry = ofKind(rendered, "Registry").get(0);
    assertThat(registry.at("/metadata/name").asText()).isEqualTo("main");
    assertThat(registry.at("/metadata/namespace").asText()).isEqualTo("registry");
    JsonNode spec = registry.path("spec");
    assertThat(spec.at("/storage/persistentVolumeClaim/size").asText()).isEqualTo("50Gi");
    assertThat(spec.at("/storage/persistentVolumeClaim/storageClassName").asText()).isEqualTo("standard");
    assertThat(spec.at("/storage/persistentVolumeClaim/accessModes/0").asText()).isEqualTo("ReadWriteOnce");
    assertThat(spec.at("/service/type").asText()).isEqualTo("NodePort");
    assertThat(spec.at("/service/nodePort").asInt()).isEqualTo(30500);
    assertThat(spec.at("/tls/mode").asText()).isEqualTo("Secret");
    assertThat(spec.at("/tls/secretName").asText()).isEqualTo("registry-tls");
    assertThat(spec.at("/resources/limits/memory").asText()).isEqualTo("1Gi");
    assertThat(spec.at("/auth/mode").asText()).isEqualTo("Htpasswd");
    // secrets.htpasswd is stored as given, in the Secret the Registry names
    JsonNode secret = ofKind(rendered, "Secret").get(0);
    assertThat(spec.at("/auth/htpasswdSecret").asText()).isEqualTo(secret.at("/metadata/name").asText());
    assertThat(secret.at("/metadata/namespace").asText()).isEqualTo("registry");
    String htpasswd = CrdValidator.readYaml(EXAMPLES.resolve("registry-twuni.yaml")).at("/registry/secrets/htpasswd")
        .asText();
    assertThat(secret.at("/stringData/htpasswd").asText()).isEqualTo(htpasswd).startsWith("alice:$2y$");
  }

  @Test
  void twunisProxyBecomesOneNamedUpstreamWithItsLoginInASecretAsGiven() throws IOException {
    List<JsonNode> rendered = render(t -> t.set("registry.enabled", true).set("registry.proxy.enabled", true)
        .set("registry.proxy.remoteurl", "https://registry-1.docker.io").set("registry.proxy.username", "puller")
        .set("registry.proxy.password", "s3cret").set("registry.proxy.name", "dockerhub"));
    JsonNode registry = ofKind(rendered, "Registry").get(0);
    assertThat(validator.violations(registry)).isEmpty();
    JsonNode upstream = registry.at("/spec/proxy/upstreams/0");
    assertThat(upstream.path("name").asText()).isEqualTo("dockerhub");
    assertThat(upstream.path("url").asText()).isEqualTo("https://registry-1.docker.io");
    JsonNode secret = ofKind(rendered, "Secret").get(0);
    assertThat(upstream.path("credentialsSecret").asText()).isEqualTo(secret.at("/metadata/name").asText());
    assertThat(secret.at("/stringData/username").asText()).isEqualTo("puller");
    assertThat(secret.at("/stringData/password").asText()).isEqualTo("s3cret");

    JsonNode anonymous = registrySpec(t -> t.set("registry.enabled", true).set("registry.proxy.enabled", true)
        .set("registry.proxy.remoteurl", "https://ghcr.io"));
    assertThat(anonymous.at("/proxy/upstreams/0/name").asText()).isEqualTo("mirror");
    assertThat(anonymous.at("/proxy/upstreams/0").has("credentialsSecret")).isFalse();
    assertThat(registrySpec(t -> t.set("registry.enabled", true)).has("proxy")).isFalse();
  }

  @Test
  void twunisProxySecretRefFailsSinceItsKeysDiffer() {
    assertThatThrownBy(() -> template(t -> t.set("registry.enabled", true).set("registry.proxy.enabled", true)
        .set("registry.proxy.remoteurl", "https://registry-1.docker.io").set("registry.proxy.secretRef", "login")))
        .hasMessageContaining("registry.proxy.secretRef: Berth reads the keys username and password");
  }

  @Test
  void persistenceOffIsAnEmptyDirAndAnExistingClaimIsUsedAsItIs() throws IOException {
    JsonNode off = registrySpec(t -> t.set("registry.enabled", true).set("registry.persistence.enabled", false));
    assertThat(off.path("storage")).isEqualTo(CrdValidator.toTree(Map.of("emptyDir", Map.of())));

    JsonNode claim = registrySpec(t -> t.set("registry.enabled", true).set("registry.replicaCount", 2)
        .set("registry.persistence.existingClaim", "shared-data"));
    assertThat(claim.path("storage")).isEqualTo(CrdValidator.toTree(Map.of("existingClaim", "shared-data")));
    assertThat(claim.path("replicas").asInt()).isEqualTo(2);
  }

  @Test
  void twoReplicasWithoutASharedClaimRenderARegistryTheCrdRefuses() throws IOException {
    List<JsonNode> rendered = render(t -> t.set("registry.enabled", true).set("registry.replicaCount", 2));

    assertThat(validator.violations(ofKind(rendered, "Registry").get(0))).isNotEmpty();
  }

  @Test
  void renderingTwiceGivesTheSameBytesSoNoSecretIsMadeAtRenderTime() throws IOException {
    Consumer<TemplateCommand> values = t -> t.withValuesFile(EXAMPLES.resolve("registry-twuni.yaml"));
    assertThat(template(values)).isEqualTo(template(values));
    try (Stream<Path> templates = Files.list(CHART.resolve("templates"))) {
      for (Path template : templates.toList()) {
        assertThat(Files.readString(template)).as(template.toString())
            .doesNotContain("randAlpha", "randAscii", "randNumeric", "randBytes", "genCA", "genPrivateKey",
                "genSelfSignedCert", "uuidv4", "htpasswd (");
      }
    }
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "registry.ingress.enabled=true             | registry.ingress.enabled has no Registry field yet",
      "registry.metrics.port=9090                | registry.metrics.port: the metrics port is 5001",
      "registry.metrics.prometheusRule.enabled=true | registry.metrics.prometheusRule: the operator makes its own",
      "registry.metrics.serviceMonitor.labels.a=b | registry.metrics.serviceMonitor.labels has no Registry field yet",
      "registry.proxy.enabled=true               | registry.proxy.enabled needs registry.proxy.remoteurl",
      "registry.storage=azure                    | registry.storage=azure: filesystem or s3",
      "registry.storage=s3                       | registry.s3.bucket: storage s3 needs the bucket's name",
      "registry.secrets.azure.accountName=a      | registry.secrets.azure has no Registry field yet",
      "registry.serviceAccount.create=true       | registry.serviceAccount.create: the chart does not make",
      "registry.secrets.haSharedSecret=abc       | registry.secrets.haSharedSecret: not needed; the operator generates",
      "registry.securityContext.runAsUser=1000   | registry.securityContext: the registry pod's securityContext has no",
      "registry.nodeSelector.disk=ssd            | registry.nodeSelector: the registry pod's nodeSelector has no",
      "registry.tolerations[0].key=dedicated     | registry.tolerations: the registry pod's tolerations has no",
      "registry.affinity.x=y                     | registry.affinity: the registry pod's affinity has no",
      "registry.service.annotations.a=b          | registry.service.annotations has no Registry field yet",
      "registry.persistence.storageClass=-       | registry.persistence.storageClass=\"-\" (no dynamic provisioning)",
      "registry.image.repository=registry        | registry.image: set both repository and tag, or neither",
      "registry.configData.log.level=debug       | registry.configData: not a key of this chart",
  })
  void aValueWithNoRegistryFieldFailsTheRenderNamingIt(String setting, String message) {
    String[] keyValue = setting.split("=", 2);
    assertThatThrownBy(() -> template(t -> t.set("registry.enabled", true).set(keyValue[0], keyValue[1])))
        .hasMessageContaining(message);
  }

  @Test
  void twuniGarbageCollectMapsToTheGarbageCollectionSpec() throws IOException {
    JsonNode defaults = registrySpec(t -> t.set("registry.enabled", true).set("registry.garbageCollect.enabled", true));
    assertThat(defaults.path("garbageCollection").path("schedule").asText()).isEqualTo("0 1 * * *");
    assertThat(defaults.path("garbageCollection").path("deleteUntagged").asBoolean()).isTrue();

    JsonNode set = registrySpec(t -> t.set("registry.enabled", true).set("registry.garbageCollect.enabled", true)
        .set("registry.garbageCollect.schedule", "30 2 * * 0").set("registry.garbageCollect.deleteUntagged", false)
        .set("registry.garbageCollect.gracePeriod", "2h"));
    assertThat(set.path("garbageCollection").path("schedule").asText()).isEqualTo("30 2 * * 0");
    assertThat(set.path("garbageCollection").path("deleteUntagged").asBoolean()).isFalse();
    assertThat(set.path("garbageCollection").path("gracePeriod").asText()).isEqualTo("2h");

    assertThatThrownBy(() -> template(t -> t.set("registry.enabled", true).set("registry.garbageCollect.enabled", true)
        .set("registry.garbageCollect.podLabels.team", "a")))
        .hasMessageContaining("registry.garbageCollect.podLabels has no Registry field yet");
  }

  @Test
  void unsupportedKeysLeftOffOrDisabledRenderNothing() throws IOException {
    // the twuni defaults for the same keys: off, empty
    JsonNode spec = registrySpec(t -> t.set("registry.enabled", true)
        .set("registry.ingress.enabled", false).set("registry.garbageCollect.enabled", false)
        .set("registry.s3.bucket", "ignored-unless-storage-is-s3"));
    assertThat(spec.fieldNames()).toIterable().containsExactlyInAnyOrder("replicas", "service", "storage");
  }

  @Test
  void twuniMetricsValuesMapToSpecMetrics() throws IOException {
    assertThat(registrySpec(t -> t.set("registry.enabled", true)).has("metrics")).isFalse();
    assertThat(registrySpec(t -> t.set("registry.enabled", true).set("registry.metrics.serviceMonitor.enabled", true)
        .set("registry.metrics.port", 5001)).path("metrics"))
        .isEqualTo(CrdValidator.toTree(Map.of("serviceMonitor", true)));
    assertThat(registrySpec(t -> t.set("registry.enabled", true).set("registry.metrics.enabled", false))
        .path("metrics")).isEqualTo(CrdValidator.toTree(Map.of("enabled", false)));
    assertThatThrownBy(() -> template(t -> t.set("registry.enabled", true).set("registry.metrics.enabled", false)
        .set("registry.metrics.serviceMonitor.enabled", true)))
        .hasMessageContaining("registry.metrics.serviceMonitor.enabled needs registry.metrics.enabled");
  }

  @Test
  void twuniS3ValuesMapToStorageS3() throws IOException {
    List<JsonNode> rendered = render(t -> t.withValuesFile(EXAMPLES.resolve("registry-s3.yaml")));

    JsonNode spec = ofKind(rendered, "Registry").get(0).path("spec");
    assertThat(spec.path("replicas").asInt()).isEqualTo(3);
    assertThat(spec.path("storage")).isEqualTo(CrdValidator.toTree(Map.of("s3", Map.of(
        "bucket", "registry-data",
        "region", "us-east-1",
        // no scheme in regionEndpoint: secure false makes it http, as distribution does
        "endpoint", "http://minio.storage.svc:9000",
        "forcePathStyle", true,
        "rootDirectory", "/registry",
        "credentialsSecret", "registry-s3"))));
    assertThat(ofKind(rendered, "Secret")).as("the keys stay in the user's Secret").isEmpty();
  }

  @Test
  void s3KeysGivenInTheValuesAreStoredInASecretAsTheyAre() throws IOException {
    List<JsonNode> rendered = render(t -> t.set("registry.enabled", true).set("registry.storage", "s3")
        .set("registry.s3.bucket", "registry-data").set("registry.s3.regionEndpoint", "https://s3.example.com")
        .set("registry.s3.encrypt", true).set("registry.s3.skipverify", true)
        .set("registry.secrets.s3.accessKey", "AKIAEXAMPLE").set("registry.secrets.s3.secretKey", "wJalr")
        .set("registry.serviceAccount.name", "registry-pods"));

    JsonNode registry = ofKind(rendered, "Registry").get(0);
    assertThat(validator.violations(registry)).isEmpty();
    JsonNode s3 = registry.at("/spec/storage/s3");
    assertThat(s3.path("endpoint").asText()).isEqualTo("https://s3.example.com");
    assertThat(s3.path("encrypt").asBoolean()).isTrue();
    assertThat(s3.path("skipVerify").asBoolean()).isTrue();
    assertThat(registry.at("/spec/serviceAccountName").asText()).isEqualTo("registry-pods");
    JsonNode secret = ofKind(rendered, "Secret").get(0);
    assertThat(s3.path("credentialsSecret").asText()).isEqualTo(secret.at("/metadata/name").asText());
    assertThat(secret.at("/stringData/accessKey").asText()).isEqualTo("AKIAEXAMPLE");
    assertThat(secret.at("/stringData/secretKey").asText()).isEqualTo("wJalr");
    assertThat(registry.toString()).doesNotContain("AKIAEXAMPLE").doesNotContain("wJalr");
  }

  @Test
  void withoutS3KeysThePodsUseTheirOwnIdentityAndSeveralReplicasAreAccepted() throws IOException {
    JsonNode spec = registrySpec(t -> t.set("registry.enabled", true).set("registry.storage", "s3")
        .set("registry.replicaCount", 2).set("registry.s3.bucket", "registry-data")
        .set("registry.s3.region", "eu-west-1").set("registry.s3.forcepathstyle", false));
    assertThat(spec.path("storage")).isEqualTo(CrdValidator.toTree(Map.of("s3", Map.of(
        "bucket", "registry-data", "region", "eu-west-1", "forcePathStyle", false))));
    assertThat(spec.path("replicas").asInt()).isEqualTo(2);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "registry.s3.secure=false                  | registry.s3.secure=false needs registry.s3.regionEndpoint",
      "registry.secrets.s3.accessKey=AKIA        | registry.secrets.s3: set both accessKey and secretKey",
  })
  void badS3ValuesFailTheRenderNamingTheKey(String setting, String message) {
    String[] keyValue = setting.split("=", 2);
    Consumer<TemplateCommand> values = t -> t.set("registry.enabled", true).set("registry.storage", "s3")
        .set("registry.s3.bucket", "registry-data").set(keyValue[0], keyValue[1]);
    assertThatThrownBy(() -> template(values)).hasMessageContaining(message);
  }

  @Test
  void s3KeysAndASecretRefTogetherFail() {
    assertThatThrownBy(() -> template(t -> t.set("registry.enabled", true).set("registry.storage", "s3")
        .set("registry.s3.bucket", "registry-data").set("registry.secrets.s3.secretRef", "mine")
        .set("registry.secrets.s3.accessKey", "AKIA").set("registry.secrets.s3.secretKey", "x")))
        .hasMessageContaining("registry.secrets.s3: set secretRef (a Secret with keys accessKey and secretKey)"
            + " or accessKey and secretKey, not both");
  }

  @Test
  void anHtpasswdFileAndAnHtpasswdSecretTogetherFail() {
    assertThatThrownBy(() -> template(t -> t.set("registry.enabled", true)
        .set("registry.secrets.htpasswd", "alice:$2y$10$x").set("registry.auth.htpasswdSecret", "mine")))
        .hasMessageContaining("registry.secrets.htpasswd and registry.auth.htpasswdSecret both name the users");
  }

  // ---- helpers

  /**
   * deploy/'s objects less the two Helm puts in place itself: the release namespace (--create-namespace) and the CRD
   * (crds/, which helm template leaves out; theChartInstallsTheGeneratedCrd covers it).
   */
  private static Map<String, JsonNode> deployedByHelm() throws IOException {
    Map<String, JsonNode> objects = operatorObjects(KustomizeBuild.build(DEPLOY));
    assertThat(objects.remove("Namespace//" + NAMESPACE)).isNotNull();
    assertThat(objects.remove(CRD_ID)).isNotNull();
    return objects;
  }

  private static JsonNode registrySpec(Consumer<TemplateCommand> values) throws IOException {
    List<JsonNode> registries = ofKind(render(values), "Registry");
    assertThat(registries).hasSize(1);
    assertThat(validator.violations(registries.get(0))).isEmpty();
    return registries.get(0).path("spec");
  }

  private static String template(Consumer<TemplateCommand> values) {
    TemplateCommand command = new Helm(CHART).template().withName(RELEASE).withNamespace(NAMESPACE)
        .withKubeVersion("1.30.0");
    values.accept(command);
    return command.call();
  }

  private static List<JsonNode> render(Consumer<TemplateCommand> values) throws IOException {
    return KustomizeBuild.documents(template(values));
  }

  private static List<JsonNode> ofKind(List<JsonNode> objects, String kind) {
    return objects.stream().filter(o -> o.path("kind").asText().equals(kind)).toList();
  }

  /** The operator's objects by id, Helm's own labels taken off (what deploy/ would have), in a stable order. */
  private static Map<String, JsonNode> operatorObjects(List<JsonNode> objects) {
    Map<String, JsonNode> byId = new TreeMap<>();
    for (JsonNode object : objects) {
      String kind = object.path("kind").asText();
      if (!OPERATOR_KINDS.contains(kind) && !kind.equals("CustomResourceDefinition")) {
        continue;
      }
      ObjectNode copy = object.deepCopy();
      if (copy.at("/metadata/labels") instanceof ObjectNode labels) {
        HELM_LABELS.forEach(labels::remove);
      }
      assertThat(byId.put(KustomizeBuild.id(copy), copy)).as("two objects " + KustomizeBuild.id(copy)).isNull();
    }
    return byId;
  }

  private static void assertObjectsEqual(Map<String, JsonNode> actual, Map<String, JsonNode> expected) {
    assertThat(actual.keySet()).containsExactlyElementsOf(expected.keySet());
    Map<String, String> differing = new LinkedHashMap<>();
    List<String> ids = new ArrayList<>(expected.keySet());
    for (String id : ids) {
      if (!actual.get(id).equals(expected.get(id))) {
        differing.put(id, "chart:\n" + actual.get(id).toPrettyString() + "\ndeploy/:\n" + expected.get(id)
            .toPrettyString());
      }
    }
    assertThat(differing).as("objects the chart renders differently from deploy/").isEmpty();
  }
}
