package dev.berth.registry.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @TempDir
  Path tmp;
  ConfigFixture fixture;

  @BeforeEach
  void setUp() {
    fixture = new ConfigFixture(tmp);
  }

  @Test
  void withoutFileEnvOrFlagsTheDefaultsApply() {
    LoadedConfig loaded = fixture.load(null);
    RegistryConfig config = loaded.config();

    assertThat(loaded.file()).isEmpty();
    assertThat(loaded.warnings()).isEmpty();
    assertThat(config.http().host()).isEqualTo("0.0.0.0");
    assertThat(config.http().port()).isEqualTo(5000);
    assertThat(config.http().tlsEnabled()).isFalse();
    assertThat(config.http().redirect()).isNull();
    assertThat(config.http().headers()).containsExactly(Map.entry("X-Content-Type-Options", List.of("nosniff")));
    assertThat(config.storage().rootDirectory()).isEqualTo(tmp.resolve("default-root"));
    assertThat(config.storage().rootDirectory()).isDirectory();
    assertThat(config.storage().deleteEnabled()).isFalse();
    assertThat(config.storage().readOnly()).isFalse();
    assertThat(config.storage().listingsRefresh()).isEqualTo(java.time.Duration.ofSeconds(30));
    assertThat(config.log().level()).isEqualTo("info");
    assertThat(config.log().accessLog()).isTrue();
    assertThat(config.log().fields()).isEmpty();
    assertThat(config.auth().enabled()).isFalse();
    assertThat(config.auth().access()).isEmpty();
  }

  @Test
  void theConfigRegistry2ShipsLoadsUnchangedWithTheRootMovedByEnvironment() {
    Path root = tmp.resolve("registry");
    LoadedConfig loaded = fixture.load(fixture.resource("registry2-default.yml"),
        Map.of("REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY", root.toString()));

    RegistryConfig config = loaded.config();
    assertThat(config.http().host()).isEqualTo("0.0.0.0");
    assertThat(config.http().port()).isEqualTo(5000);
    assertThat(config.http().headers()).containsExactly(Map.entry("X-Content-Type-Options", List.of("nosniff")));
    assertThat(config.storage().rootDirectory()).isEqualTo(root);
    assertThat(root).isDirectory();
    assertThat(config.log().fields()).containsExactly(Map.entry("service", "registry"));
    assertThat(loaded.warnings()).containsExactly(
        "config key 'storage.cache' is accepted for compatibility and has no effect: Berth needs no blob descriptor cache",
        "config key 'health' is accepted for compatibility and has no effect: Berth serves /healthz and /readyz itself");
  }

  @Test
  void aFullRegistry2ConfigOfKnownKeysLoadsWithEveryValue() {
    Path root = tmp.resolve("full-root");
    String yaml = fixture.resource("registry2-full.yml")
        .replace("ROOT", root.toString())
        .replace("HTPASSWD", fixture.file("htpasswd").toString())
        .replace("CERT", fixture.file("tls.crt").toString())
        .replace("KEY", fixture.file("tls.key").toString())
        .replace("- CA", "- " + fixture.file("ca.crt"));

    LoadedConfig loaded = fixture.load(yaml);
    RegistryConfig config = loaded.config();

    assertThat(config.log()).isEqualTo(new RegistryConfig.Log("debug", false,
        Map.of("service", "registry", "environment", "staging")));
    assertThat(config.http().host()).isEqualTo("127.0.0.1");
    assertThat(config.http().port()).isEqualTo(5443);
    assertThat(config.http().headers()).containsExactly(
        Map.entry("X-Content-Type-Options", List.of("nosniff")),
        Map.entry("Strict-Transport-Security", List.of("max-age=31536000")));
    assertThat(config.http().tls()).isEqualTo(new RegistryConfig.Tls(tmp.resolve("tls.crt"), tmp.resolve("tls.key"),
        List.of(tmp.resolve("ca.crt")), "tls1.3"));
    assertThat(config.storage()).isEqualTo(new RegistryConfig.Storage(root, true, false));
    assertThat(config.auth().htpasswd()).isEqualTo(new RegistryConfig.Htpasswd("basic-realm", tmp.resolve("htpasswd")));
    assertThat(config.auth().token()).isNull();
    assertThat(loaded.warnings()).extracting(warning -> warning.split("'")[1]).containsExactlyInAnyOrder(
        "health", "log.formatter", "storage.filesystem.maxthreads", "storage.cache",
        "storage.maintenance.uploadpurging.dryrun", "http.host", "http.secret", "http.relativeurls", "http.draintimeout",
        "http.http2");
    assertThat(config.http().debug()).isEqualTo(new RegistryConfig.Debug("localhost", 5001, true, "/metrics"));
  }

  @Test
  void theWarningsNeverRepeatASecret() {
    LoadedConfig loaded = fixture.load("http:\n  secret: hunter2-upload-secret\n");

    assertThat(loaded.warnings()).hasSize(1).allSatisfy(w -> assertThat(w).contains("http.secret").doesNotContain("hunter2"));
    assertThat(loaded.config().toString()).doesNotContain("hunter2");
  }

  @Test
  void berthKeysLoad() {
    Path htpasswd = fixture.file("htpasswd");
    Path signingKey = fixture.file("token.key");
    String yaml = """
        log:
          level: WARNING
        http:
          addr: "[::1]:5443"
          tls:
            certificate: %s
            key: %s
          redirect:
            addr: 127.0.0.1:5080
        storage:
          maintenance:
            readonly:
              enabled: false
        auth:
          htpasswd:
            path: %s
          token:
            realm: https://registry.example.com/auth/token
            service: registry.example.com
            expiration: 600
            signingkey: %s
          anonymouspull: true
          access:
            - account: alice
              repository: "team-a/*"
              actions: [push, pull]
            - account: bob
              repository: "team-?/cache"
              actions: [pull]
            - account: "*"
              repository: "*"
              actions: ["*"]
            - account: anonymous
              repository: "public/*"
              actions: [pull]
        """.formatted(fixture.file("tls.crt"), fixture.file("tls.key"), htpasswd, signingKey);

    RegistryConfig config = fixture.load(yaml).config();

    assertThat(config.log().level()).isEqualTo("warn");
    assertThat(config.http().host()).isEqualTo("::1");
    assertThat(config.http().port()).isEqualTo(5443);
    assertThat(config.http().tls().minimumTls()).isEqualTo("tls1.2");
    assertThat(config.http().tls().clientCas()).isEmpty();
    assertThat(config.http().redirect()).isEqualTo(new RegistryConfig.Redirect("127.0.0.1", 5080));
    assertThat(config.auth().htpasswd()).isEqualTo(new RegistryConfig.Htpasswd("berth", htpasswd));
    assertThat(config.auth().token()).isEqualTo(new RegistryConfig.Token("https://registry.example.com/auth/token",
        "registry.example.com", "berth", 600, signingKey));
    assertThat(config.auth().anonymousPull()).isTrue();
    assertThat(config.auth().access()).containsExactly(
        new RegistryConfig.AccessRule("alice", "team-a/*", List.of("pull", "push")),
        new RegistryConfig.AccessRule("bob", "team-?/cache", List.of("pull")),
        new RegistryConfig.AccessRule("*", "*", List.of("pull", "push", "delete")),
        new RegistryConfig.AccessRule("anonymous", "public/*", List.of("pull")));
  }

  @Test
  void listingsRefreshTakesADuration() {
    assertThat(fixture.load("storage:\n  listings:\n    refresh: 500ms\n").config().storage().listingsRefresh())
        .isEqualTo(java.time.Duration.ofMillis(500));
    assertThat(fixture.load("storage:\n  listings:\n    refresh: 2m\n").config().storage().listingsRefresh())
        .isEqualTo(java.time.Duration.ofMinutes(2));
  }

  @Test
  void tokenDefaultsNeedOnlyTheSection() {
    String yaml = "auth:\n  htpasswd:\n    path: %s\n  token: {}\n".formatted(fixture.file("htpasswd"));

    RegistryConfig.Token token = fixture.load(yaml).config().auth().token();

    assertThat(token).isEqualTo(new RegistryConfig.Token("", "berth", "berth", 300, null));
  }

  @Test
  void distributionsDeprecatedLoglevelIsUsedWhenLogLevelIsAbsent() {
    assertThat(fixture.load("loglevel: debug\n").config().log().level()).isEqualTo("debug");
    assertThat(fixture.load("loglevel: debug\nlog:\n  level: error\n").config().log().level()).isEqualTo("error");
  }

  @Test
  void emptyFileAndEmptySectionsMeanDefaults() {
    assertThat(fixture.load("").config().http().port()).isEqualTo(5000);
    RegistryConfig config = fixture.load("# nothing but a comment\nhttp:\nstorage:\nlog:\n").config();
    assertThat(config.http().port()).isEqualTo(5000);
    assertThat(config.storage().rootDirectory()).isEqualTo(tmp.resolve("default-root"));
  }

  @Test
  void relativeRootIsResolvedAgainstTheWorkingDirectoryAndNormalised() {
    Path root = fixture.load("storage:\n  filesystem:\n    rootdirectory: %s/a/../b\n".formatted(tmp))
        .config().storage().rootDirectory();

    assertThat(root).isEqualTo(tmp.resolve("b")).isAbsolute().isDirectory();
  }

  @Test
  void readOnlyModeAcceptsAnExistingRootWithoutWritingToIt() throws Exception {
    Path root = Files.createDirectory(tmp.resolve("ro"));

    RegistryConfig config = fixture.load(
        "storage:\n  filesystem:\n    rootdirectory: %s\n  maintenance:\n    readonly:\n      enabled: true\n".formatted(root))
        .config();

    assertThat(config.storage().readOnly()).isTrue();
    try (var files = Files.list(root)) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void writeCheckLeavesNoFileBehind() throws Exception {
    Path root = tmp.resolve("rw");
    fixture.load("storage:\n  filesystem:\n    rootdirectory: %s\n".formatted(root));

    try (var files = Files.list(root)) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void containerDefaultsAreRegistry2s() {
    assertThat(ConfigDefaults.forEnvironment(Map.of("BERTH_IN_CONTAINER", "true")))
        .isEqualTo(new ConfigDefaults(Path.of("/var/lib/registry"), Optional.of(Path.of("/etc/berth/config.yaml"))));
    assertThat(ConfigDefaults.forEnvironment(Map.of("BERTH_IN_CONTAINER", "false")))
        .isEqualTo(new ConfigDefaults(Path.of("data"), Optional.empty()));
    assertThat(ConfigDefaults.forEnvironment(Map.of())).isEqualTo(ConfigDefaults.standalone());
  }

  @Test
  void theImplicitFileIsReadOnlyWhenItExists() {
    Path implicit = tmp.resolve("config.yaml");
    ConfigDefaults defaults = new ConfigDefaults(tmp.resolve("root"), Optional.of(implicit));

    LoadedConfig without = new ConfigLoader(Map.of(), defaults).load(null, List.of());
    assertThat(without.file()).isEmpty();
    assertThat(without.config().http().port()).isEqualTo(5000);

    fixture.write("config.yaml", "http:\n  addr: :5005\n");
    LoadedConfig with = new ConfigLoader(Map.of(), defaults).load(null, List.of());
    assertThat(with.file()).contains(implicit);
    assertThat(with.config().http().port()).isEqualTo(5005);
  }

  @Test
  void registryConfigurationPathNamesTheFileAsInDistribution() {
    Path file = fixture.write("elsewhere.yml", "http:\n  addr: :5006\n");

    LoadedConfig loaded = new ConfigLoader(Map.of("REGISTRY_CONFIGURATION_PATH", file.toString()), fixture.defaults())
        .load(null, List.of());

    assertThat(loaded.file()).contains(file);
    assertThat(loaded.config().http().port()).isEqualTo(5006);
    assertThat(loaded.warnings()).isEmpty();
  }
}
