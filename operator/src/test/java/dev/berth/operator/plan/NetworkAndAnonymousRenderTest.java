package dev.berth.operator.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.operator.spec.AccessRuleSpec;
import dev.berth.operator.spec.AuthMode;
import dev.berth.operator.spec.AuthSpec;
import dev.berth.operator.spec.HttpLimitsSpec;
import dev.berth.operator.spec.HttpSpec;
import dev.berth.operator.spec.HttpTimeoutsSpec;
import dev.berth.operator.spec.RegistryAction;
import dev.berth.operator.spec.RegistrySpec;
import dev.berth.operator.spec.SecretKeyRef;
import dev.berth.operator.spec.UserSpec;
import dev.berth.registry.config.ConfigDefaults;
import dev.berth.registry.config.ConfigLoader;
import dev.berth.registry.config.RegistryConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** spec.http and spec.auth.anonymous, rendered and read back by the real server's config loader (the contract). */
class NetworkAndAnonymousRenderTest {
  @TempDir Path temp;

  RegistryConfig serverReads(RegistrySpec spec) throws Exception {
    Path file = temp.resolve("config.yaml");
    Files.writeString(file, ServerConfigRenderer.render(spec));
    // the pod's mounted htpasswd file, here an empty one beside the config
    Path htpasswd = Files.writeString(temp.resolve("htpasswd"), "");
    return new ConfigLoader(Map.of("REGISTRY_AUTH_HTPASSWD_PATH", htpasswd.toString()), ConfigDefaults.container())
        .load(file, List.of()).config();
  }

  @Test
  void unsetHttpKeepsTheServersDefaults() throws Exception {
    RegistryConfig config = serverReads(new RegistrySpec());
    assertThat(config.http().timeouts()).isEqualTo(RegistryConfig.Timeouts.DEFAULTS);
    assertThat(config.http().limits()).isEqualTo(RegistryConfig.Limits.DEFAULTS);
  }

  @Test
  void timeoutsAndLimitsReachTheServer() throws Exception {
    HttpTimeoutsSpec timeouts = new HttpTimeoutsSpec();
    timeouts.setHeader("30s");
    timeouts.setBody("1m30s");
    timeouts.setIdle("500ms");
    timeouts.setSend("2m");
    HttpLimitsSpec limits = new HttpLimitsSpec();
    limits.setConnections(4000);
    limits.setConnectionsPerClient(50);
    HttpSpec http = new HttpSpec();
    http.setTimeouts(timeouts);
    http.setLimits(limits);
    RegistrySpec spec = new RegistrySpec();
    spec.setHttp(http);

    RegistryConfig config = serverReads(spec);

    assertThat(config.http().timeouts()).isEqualTo(new RegistryConfig.Timeouts(
        Duration.ofSeconds(30), Duration.ofSeconds(90), Duration.ofMillis(500), Duration.ofMinutes(2)));
    assertThat(config.http().limits()).isEqualTo(new RegistryConfig.Limits(4000, 50));
  }

  @Test
  void onlyTheSetTimeoutIsRendered() throws Exception {
    HttpTimeoutsSpec timeouts = new HttpTimeoutsSpec();
    timeouts.setIdle("10s");
    HttpSpec http = new HttpSpec();
    http.setTimeouts(timeouts);
    RegistrySpec spec = new RegistrySpec();
    spec.setHttp(http);

    RegistryConfig.Timeouts read = serverReads(spec).http().timeouts();

    assertThat(read.idle()).isEqualTo(Duration.ofSeconds(10));
    assertThat(read.header()).isEqualTo(RegistryConfig.Timeouts.DEFAULTS.header());
    assertThat(ServerConfigRenderer.render(spec)).doesNotContain("limits");
  }

  @Test
  void anonymousRulesBecomeTheServersAnonymousAccount() throws Exception {
    AccessRuleSpec publicPull = new AccessRuleSpec();
    publicPull.setRepository("public/*");
    publicPull.setActions(List.of(RegistryAction.pull));
    AccessRuleSpec teamA = new AccessRuleSpec();
    teamA.setRepository("team-a/*");
    teamA.setActions(List.of(RegistryAction.pull, RegistryAction.push));
    UserSpec alice = new UserSpec();
    alice.setName("alice");
    SecretKeyRef password = new SecretKeyRef();
    password.setName("users");
    password.setKey("alice");
    alice.setPasswordSecret(password);
    alice.setAccess(List.of(teamA));
    AuthSpec auth = new AuthSpec();
    auth.setMode(AuthMode.Htpasswd);
    auth.setUsers(List.of(alice));
    auth.setAnonymous(List.of(publicPull));
    RegistrySpec spec = new RegistrySpec();
    spec.setAuth(auth);

    RegistryConfig.Auth read = serverReads(spec).auth();

    assertThat(read.anonymousPull()).isFalse();
    assertThat(read.access()).containsExactly(
        new RegistryConfig.AccessRule("anonymous", "public/*", List.of("pull")),
        new RegistryConfig.AccessRule("alice", "team-a/*", List.of("pull", "push")));
  }
}
