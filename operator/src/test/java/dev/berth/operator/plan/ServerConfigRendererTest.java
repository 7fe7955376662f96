package dev.berth.operator.plan;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.berth.operator.spec.LogLevel;
import dev.berth.operator.spec.MetricsSpec;
import dev.berth.operator.spec.RegistrySpec;
import dev.berth.operator.spec.ServerSpec;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServerConfigRendererTest {
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  @Test
  void defaultsRenderExactlyTheContractKeys() throws Exception {
    JsonNode config = YAML.readTree(ServerConfigRenderer.render(new RegistrySpec()));
    assertThat(leaves(config, "")).containsExactlyInAnyOrder(
        "version=0.1",
        "log.level=info",
        "http.addr=:5000",
        "http.debug.addr=:5001",
        "http.debug.prometheus.enabled=true",
        "http.debug.prometheus.path=/metrics",
        "storage.filesystem.rootdirectory=/var/lib/registry",
        "storage.delete.enabled=false",
        "storage.maintenance.readonly.enabled=false");
  }

  @Test
  void serverSettingsPassThrough() throws Exception {
    RegistrySpec spec = new RegistrySpec();
    ServerSpec server = new ServerSpec();
    server.setLogLevel(LogLevel.debug);
    server.setDeleteEnabled(true);
    server.setReadOnly(true);
    spec.setServer(server);
    JsonNode config = YAML.readTree(ServerConfigRenderer.render(spec));
    assertThat(config.at("/log/level").asText()).isEqualTo("debug");
    assertThat(config.at("/storage/delete/enabled").asBoolean()).isTrue();
    assertThat(config.at("/storage/maintenance/readonly/enabled").asBoolean()).isTrue();
  }

  @Test
  void renderingIsStableAndTheHashFollowsTheContent() {
    RegistrySpec spec = new RegistrySpec();
    String first = ServerConfigRenderer.render(spec);
    assertThat(ServerConfigRenderer.render(new RegistrySpec())).isEqualTo(first);
    // SHA-256 known answer (FIPS 180-2, "abc"), then: the same content rendered twice hashes the same
    assertThat(ServerConfigRenderer.hash("abc"))
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assertThat(ServerConfigRenderer.hash(first)).hasSize(64)
        .isEqualTo(ServerConfigRenderer.hash(ServerConfigRenderer.render(new RegistrySpec())));
    ServerSpec server = new ServerSpec();
    server.setReadOnly(true);
    spec.setServer(server);
    assertThat(ServerConfigRenderer.hash(ServerConfigRenderer.render(spec)))
        .isNotEqualTo(ServerConfigRenderer.hash(first));
  }

  @Test
  void metricsOffRendersNoDebugListener() throws Exception {
    RegistrySpec spec = new RegistrySpec();
    MetricsSpec metrics = new MetricsSpec();
    metrics.setEnabled(false);
    spec.setMetrics(metrics);
    JsonNode config = YAML.readTree(ServerConfigRenderer.render(spec));
    assertThat(config.at("/http").has("debug")).isFalse();
    assertThat(leaves(config.at("/http"), "")).containsExactly("addr=:5000");
  }

  private static List<String> leaves(JsonNode node, String prefix) {
    List<String> out = new ArrayList<>();
    if (node.isObject()) {
      node.fields().forEachRemaining(f ->
          out.addAll(leaves(f.getValue(), prefix.isEmpty() ? f.getKey() : prefix + "." + f.getKey())));
    } else {
      out.add(prefix + "=" + node.asText());
    }
    return out;
  }

  @Test
  void s3RendersDistributionsKeysAndNeverTheCredentials() throws Exception {
    RegistrySpec spec = dev.berth.operator.S3Fixture.s3Spec(3, "registry-s3");
    JsonNode config = YAML.readTree(ServerConfigRenderer.render(spec));
    assertThat(leaves(config, "")).containsExactlyInAnyOrder(
        "version=0.1",
        "log.level=info",
        "http.addr=:5000",
        "http.debug.addr=:5001",
        "http.debug.prometheus.enabled=true",
        "http.debug.prometheus.path=/metrics",
        "storage.s3.bucket=registry-data",
        "storage.s3.region=eu-west-1",
        "storage.s3.regionendpoint=http://s3.storage.svc:9000",
        "storage.s3.forcepathstyle=true",
        "storage.s3.rootdirectory=team",
        "storage.delete.enabled=false",
        "storage.maintenance.readonly.enabled=false");

    spec.getStorage().getS3().setEndpoint(null);
    spec.getStorage().getS3().setRootDirectory(null);
    spec.getStorage().getS3().setRegion(null);
    spec.getStorage().getS3().setForcePathStyle(null);
    spec.getStorage().getS3().setEncrypt(true);
    spec.getStorage().getS3().setSkipVerify(true);
    JsonNode aws = YAML.readTree(ServerConfigRenderer.render(spec)).at("/storage/s3");
    assertThat(leaves(aws, "")).containsExactlyInAnyOrder(
        "bucket=registry-data", "region=us-east-1", "encrypt=true", "skipverify=true");
  }
}
