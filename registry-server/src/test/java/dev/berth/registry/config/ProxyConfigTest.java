package dev.berth.registry.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code proxy.*}: registry:2's single upstream unchanged, and Berth's named upstreams. */
class ProxyConfigTest {
  @TempDir Path tmp;

  @Test
  void distributionsSingleUpstreamCachesEveryRepository() {
    RegistryConfig.Proxy proxy = new ConfigFixture(tmp).load("""
        proxy:
          remoteurl: https://registry-1.docker.io
          username: someone
          password: secret
          ttl: 72h
        """).config().proxy();
    assertThat(proxy.upstreams()).singleElement().satisfies(upstream -> {
      assertThat(upstream.everyRepository()).isTrue();
      assertThat(upstream.url()).isEqualTo(URI.create("https://registry-1.docker.io"));
      assertThat(upstream.host()).isEqualTo("docker.io");
      assertThat(upstream.credentials().username()).isEqualTo("someone");
      assertThat(upstream.credentials().password()).isEqualTo("secret");
      assertThat(upstream.evictAfter()).isEqualTo(Duration.ofHours(72));
      // registry:2 asks the remote about a tag on every pull
      assertThat(upstream.tagTtl()).isZero();
    });
  }

  @Test
  void theSingleUpstreamComesFromTheEnvironmentAsForEveryKey() {
    RegistryConfig.Proxy proxy = new ConfigFixture(tmp).load("", Map.of("REGISTRY_PROXY_REMOTEURL", "https://ghcr.io"))
        .config().proxy();
    assertThat(proxy.upstreams()).singleElement().satisfies(upstream -> {
      assertThat(upstream.host()).isEqualTo("ghcr.io");
      assertThat(upstream.evictAfter()).isEqualTo(ProxySection.DEFAULT_EVICT_AFTER);
    });
  }

  @Test
  void namedUpstreamsWithCredentialFilesHostsAndTtls() {
    ConfigFixture fixture = new ConfigFixture(tmp);
    Path user = fixture.file("user");
    Path password = fixture.file("password");
    RegistryConfig.Proxy proxy = fixture.load("""
        proxy:
          upstreams:
            - name: dockerhub
              url: https://registry-1.docker.io
              usernamefile: %s
              passwordfile: %s
              ttl: 10m
            - name: ghcr
              url: https://ghcr.io
            - name: mirror
              url: http://10.0.0.5:5000
              host: registry.example.com
        """.formatted(user, password)).config().proxy();
    assertThat(proxy.upstreams()).extracting(RegistryConfig.Upstream::name).containsExactly("dockerhub", "ghcr", "mirror");
    assertThat(proxy.upstreams()).extracting(RegistryConfig.Upstream::host)
        .containsExactly("docker.io", "ghcr.io", "registry.example.com");
    assertThat(proxy.upstreams()).extracting(RegistryConfig.Upstream::tagTtl)
        .containsExactly(Duration.ofMinutes(10), ProxySection.DEFAULT_TAG_TTL, ProxySection.DEFAULT_TAG_TTL);
    assertThat(proxy.upstreams().get(0).credentials().usernameFile()).isEqualTo(user);
    assertThat(proxy.upstreams().get(1).credentials()).isEqualTo(RegistryConfig.UpstreamCredentials.ANONYMOUS);
    assertThat(proxy.upstreams()).noneMatch(RegistryConfig.Upstream::everyRepository);
  }

  @Test
  void noProxySectionMeansNoCache() {
    assertThat(new ConfigFixture(tmp).load("").config().proxy().enabled()).isFalse();
  }
}
