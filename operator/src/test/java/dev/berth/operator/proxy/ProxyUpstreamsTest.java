package dev.berth.operator.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.operator.nodeaccess.NodeAccessPlan;
import dev.berth.operator.plan.ServerConfigRenderer;
import dev.berth.operator.spec.ProxySpec;
import dev.berth.operator.spec.RegistrySpec;
import dev.berth.operator.spec.UpstreamSpec;
import dev.berth.registry.config.ConfigDefaults;
import dev.berth.registry.config.ConfigLoader;
import dev.berth.registry.config.RegistryConfig;
import io.fabric8.kubernetes.api.model.Volume;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** spec.proxy.upstreams: rendered into the server's config (read back by its own loader), its Secret volume, mirrors. */
class ProxyUpstreamsTest {
  @TempDir Path temp;

  static UpstreamSpec upstream(String name, String url, String host, String secret, String ttl) {
    UpstreamSpec upstream = new UpstreamSpec();
    upstream.setName(name);
    upstream.setUrl(url);
    upstream.setHost(host);
    upstream.setCredentialsSecret(secret);
    upstream.setTtl(ttl);
    return upstream;
  }

  static RegistrySpec withUpstreams(UpstreamSpec... upstreams) {
    ProxySpec proxy = new ProxySpec();
    proxy.setUpstreams(List.of(upstreams));
    RegistrySpec spec = new RegistrySpec();
    spec.setProxy(proxy);
    return spec;
  }

  @Test
  void upstreamsReachTheServerWithCredentialsAsMountedFiles() throws Exception {
    RegistrySpec spec = withUpstreams(
        upstream("dockerhub", "https://registry-1.docker.io/", null, "hub-login", "10m"),
        upstream("ghcr", "https://ghcr.io", null, null, null),
        upstream("internal", "http://10.0.0.5:5000", "registry.example.com", null, "0"));
    // the pod's projected volume, materialised where the test can write
    Path mount = temp.resolve("proxy");
    Files.createDirectories(mount.resolve("dockerhub"));
    Files.writeString(mount.resolve("dockerhub/username"), "me");
    Files.writeString(mount.resolve("dockerhub/password"), "secret");
    Path file = Files.writeString(temp.resolve("config.yaml"),
        ServerConfigRenderer.render(spec).replace(ProxyUpstreams.MOUNT_DIR, mount.toString()));
    RegistryConfig config = new ConfigLoader(Map.of(), ConfigDefaults.container()).load(file, List.of()).config();

    List<RegistryConfig.Upstream> upstreams = config.proxy().upstreams();
    assertThat(upstreams).extracting(RegistryConfig.Upstream::name).containsExactly("dockerhub", "ghcr", "internal");
    assertThat(upstreams).extracting(RegistryConfig.Upstream::url).containsExactly(
        URI.create("https://registry-1.docker.io"), URI.create("https://ghcr.io"), URI.create("http://10.0.0.5:5000"));
    assertThat(upstreams).extracting(RegistryConfig.Upstream::host)
        .containsExactly("docker.io", "ghcr.io", "registry.example.com");
    assertThat(upstreams).extracting(RegistryConfig.Upstream::tagTtl)
        .containsExactly(Duration.ofMinutes(10), Duration.ofMinutes(5), Duration.ZERO);
    assertThat(upstreams.get(0).credentials().usernameFile()).isEqualTo(mount.resolve("dockerhub/username"));
    assertThat(upstreams.get(1).credentials()).isEqualTo(RegistryConfig.UpstreamCredentials.ANONYMOUS);
    assertThat(upstreams).extracting(RegistryConfig.Upstream::dockerMirror).containsExactly(true, false, false);
  }

  @Test
  void noUpstreamsRenderNoProxySectionAndNoVolume() {
    assertThat(ServerConfigRenderer.render(new RegistrySpec())).doesNotContain("proxy");
    assertThat(ProxyUpstreams.credentialsVolume(new ProxySpec())).isEmpty();
    assertThat(ProxyUpstreams.mirrors(new ProxySpec())).isEmpty();
  }

  @Test
  void onlyUpstreamsWithASecretAreProjectedEachIntoItsOwnDirectory() {
    RegistrySpec spec = withUpstreams(upstream("dockerhub", "https://registry-1.docker.io", null, "hub-login", null),
        upstream("ghcr", "https://ghcr.io", null, null, null));
    Volume volume = ProxyUpstreams.credentialsVolume(spec.getProxy()).orElseThrow();
    assertThat(volume.getProjected().getSources()).singleElement().satisfies(source -> {
      assertThat(source.getSecret().getName()).isEqualTo("hub-login");
      assertThat(source.getSecret().getItems()).extracting(i -> i.getKey() + "->" + i.getPath())
          .containsExactly("username->dockerhub/username", "password->dockerhub/password");
    });
    assertThat(ProxyUpstreams.credentialsMount(spec.getProxy()).orElseThrow().getMountPath())
        .isEqualTo(ProxyUpstreams.MOUNT_DIR);
  }

  @Test
  void nodesMirrorEachUpstreamHostWithTheUpstreamAsFallback() {
    RegistrySpec spec = withUpstreams(upstream("dockerhub", "https://registry-1.docker.io", null, null, null),
        upstream("quay", "https://quay.io/", null, null, null));
    assertThat(ProxyUpstreams.mirrors(spec.getProxy())).containsExactly(
        new NodeAccessPlan.Mirror("docker.io", "https://registry-1.docker.io"),
        new NodeAccessPlan.Mirror("quay.io", "https://quay.io"));
  }

  @Test
  void repeatedNamesOrHostsAreSpecProblems() {
    RegistrySpec spec = withUpstreams(upstream("hub", "https://registry-1.docker.io", null, null, null),
        upstream("hub", "https://index.docker.io", null, null, null));
    assertThat(ProxyUpstreams.problems(spec.getProxy())).containsExactly(
        "proxy.upstreams: name hub appears twice", "proxy.upstreams: host docker.io appears twice");
  }
}
