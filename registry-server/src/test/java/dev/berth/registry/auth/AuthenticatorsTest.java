package dev.berth.registry.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.registry.config.RegistryConfig;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuthenticatorsTest {
  @TempDir Path dir;

  @Test
  void authOffAllowsEverything() {
    Authenticator auth = Authenticators.fromConfig(RegistryConfig.Auth.none());
    assertThat(auth.authorize(new AuthRequest(null, null, null, false), Scope.repository("x", "push", "delete")))
        .isInstanceOf(AuthDecision.Allowed.class);
    assertThat(auth.tokenEndpoint()).isEmpty();
    assertThat(Authenticators.fromConfig(null).authorize(new AuthRequest(null, null, null, false), Scope.catalog()))
        .isInstanceOf(AuthDecision.Allowed.class);
  }

  @Test
  void htpasswdAloneMeansBasicAuthWithoutATokenEndpoint() throws Exception {
    Path file = Htpasswd.write(dir.resolve("htpasswd"), Htpasswd.line("alice", "pw"));
    Authenticator auth = Authenticators.fromConfig(new RegistryConfig.Auth(new RegistryConfig.Htpasswd("", file), null, false, List.of()));
    assertThat(auth).isInstanceOf(BasicAuthenticator.class);
    assertThat(auth.tokenEndpoint()).isEmpty();
    AuthDecision.Refused refused = (AuthDecision.Refused) auth.authorize(new AuthRequest(null, null, "h", false), Scope.BASE);
    assertThat(refused.wwwAuthenticate()).as("an empty realm falls back to a default").isEqualTo("Basic realm=\"berth\"");
  }

  @Test
  void configurationsThatCannotWorkAreRefusedNamingTheKey() throws Exception {
    RegistryConfig.Token token = new RegistryConfig.Token("", "berth", "berth", 300, null);
    assertThatThrownBy(() -> Authenticators.fromConfig(new RegistryConfig.Auth(null, token, false, List.of())))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("auth.htpasswd.path");
    Path file = Htpasswd.write(dir.resolve("htpasswd"), Htpasswd.line("alice", "pw"));
    RegistryConfig.Htpasswd htpasswd = new RegistryConfig.Htpasswd("berth", file);
    assertThatThrownBy(() -> Authenticators.fromConfig(new RegistryConfig.Auth(htpasswd,
        new RegistryConfig.Token("", "berth", "berth", 0, null), false, List.of())))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("auth.token.expiration");
    assertThatThrownBy(() -> Authenticators.fromConfig(new RegistryConfig.Auth(
        new RegistryConfig.Htpasswd("berth", dir.resolve("absent")), null, false, List.of())))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("absent");
    assertThatThrownBy(() -> Authenticators.fromConfig(new RegistryConfig.Auth(htpasswd, null, false,
        List.of(new RegistryConfig.AccessRule("a", "x", List.of("fly"))))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fly");
  }
}
