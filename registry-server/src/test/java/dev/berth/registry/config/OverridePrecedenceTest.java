package dev.berth.registry.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Flags over REGISTRY_* environment variables over the file over defaults; the env comes in as a map. */
class OverridePrecedenceTest {
  private static final String FILE = """
      log:
        level: error
      http:
        addr: :5001
      storage:
        delete:
          enabled: false
      """;

  @TempDir
  Path tmp;
  ConfigFixture fixture;

  @BeforeEach
  void setUp() {
    fixture = new ConfigFixture(tmp);
  }

  @Test
  void fileOverDefaults() {
    RegistryConfig config = fixture.load(FILE).config();
    assertThat(config.http().port()).isEqualTo(5001);
    assertThat(config.log().level()).isEqualTo("error");
  }

  @Test
  void environmentOverFile() {
    RegistryConfig config = fixture.load(FILE, Map.of(
        "REGISTRY_HTTP_ADDR", "127.0.0.1:5002",
        "REGISTRY_LOG_LEVEL", "DEBUG",
        "REGISTRY_STORAGE_DELETE_ENABLED", "true",
        "REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY", tmp.resolve("srv").toString())).config();

    assertThat(config.http().host()).isEqualTo("127.0.0.1");
    assertThat(config.http().port()).isEqualTo(5002);
    assertThat(config.log().level()).isEqualTo("debug");
    assertThat(config.storage().deleteEnabled()).isTrue();
    assertThat(config.storage().rootDirectory()).isEqualTo(tmp.resolve("srv"));
  }

  @Test
  void flagsOverEnvironment() {
    RegistryConfig config = fixture.load(FILE,
        Map.of("REGISTRY_HTTP_ADDR", ":5002", "REGISTRY_STORAGE_DELETE_ENABLED", "true"),
        new FlagOverride("http.addr", ":5003", "--addr"),
        new FlagOverride("storage.delete.enabled", "false", "--delete-enabled")).config();

    assertThat(config.http().port()).isEqualTo(5003);
    assertThat(config.storage().deleteEnabled()).isFalse();
  }

  @Test
  void laterFlagsWin() {
    RegistryConfig config = fixture.load(null, Map.of(),
        new FlagOverride("http.addr", ":5003", "--addr"),
        new FlagOverride("http.addr", ":5004", "--addr")).config();

    assertThat(config.http().port()).isEqualTo(5004);
  }

  @Test
  void environmentWorksWithoutAFile() {
    RegistryConfig config = fixture.load(null, Map.of("REGISTRY_HTTP_ADDR", ":5009")).config();
    assertThat(config.http().port()).isEqualTo(5009);
  }

  @Test
  void environmentFillsKeysTheFileLacks() {
    Path htpasswd = fixture.file("htpasswd");
    RegistryConfig config = fixture.load(FILE, Map.of(
        "REGISTRY_AUTH_HTPASSWD_PATH", htpasswd.toString(),
        "REGISTRY_AUTH_HTPASSWD_REALM", "team",
        "REGISTRY_AUTH_ACCESS", "[{account: alice, repository: 'team-a/*', actions: [pull]}]",
        "REGISTRY_LOG_ACCESSLOG_DISABLED", "true")).config();

    assertThat(config.auth().htpasswd()).isEqualTo(new RegistryConfig.Htpasswd("team", htpasswd));
    assertThat(config.auth().access()).containsExactly(new RegistryConfig.AccessRule("alice", "team-a/*", List.of("pull")));
    assertThat(config.log().accessLog()).isFalse();
  }

  @Test
  void mapsTakeSingleEntriesOrAWholeYamlValue() {
    RegistryConfig config = fixture.load("log:\n  fields:\n    service: registry\n", Map.of(
        "REGISTRY_LOG_FIELDS_ENVIRONMENT", "staging",
        "REGISTRY_HTTP_HEADERS", "{X-Frame-Options: [DENY], Cache-Control: no-store}")).config();

    assertThat(config.log().fields()).containsExactly(Map.entry("service", "registry"), Map.entry("environment", "staging"));
    assertThat(config.http().headers()).containsExactly(
        Map.entry("X-Frame-Options", List.of("DENY")), Map.entry("Cache-Control", List.of("no-store")));
  }

  @Test
  void anEnvironmentVariableNamingNoKeyIsAWarningAsInDistribution() {
    LoadedConfig loaded = fixture.load(FILE, Map.of("REGISTRY_STORGE_DELETE_ENABLED", "true", "REGISTRY_HTTP_ADDR_X", "1"));

    assertThat(loaded.warnings()).containsExactly(
        "ignoring environment variable REGISTRY_HTTP_ADDR_X: it names no config key",
        "ignoring environment variable REGISTRY_STORGE_DELETE_ENABLED: it names no config key");
    assertThat(loaded.config().storage().deleteEnabled()).isFalse();
  }

  @Test
  void kubernetesServiceLinksForAServiceNamedRegistryAreNotEvenWarnedAbout() {
    LoadedConfig loaded = fixture.load(FILE, Map.of(
        "REGISTRY_PORT", "tcp://10.0.0.7:5000",
        "REGISTRY_PORT_5000_TCP_ADDR", "10.0.0.7",
        "REGISTRY_SERVICE_HOST", "10.0.0.7",
        "REGISTRY_SERVICE_PORT", "5000",
        "PATH", "/usr/bin"));

    assertThat(loaded.warnings()).isEmpty();
    assertThat(loaded.config().http().port()).isEqualTo(5001);
  }

  @Test
  void anIgnoredCompatibilityKeyFromTheEnvironmentIsAWarning() {
    LoadedConfig loaded = fixture.load(null, Map.of("REGISTRY_HEALTH_STORAGEDRIVER_ENABLED", "true"));

    assertThat(loaded.warnings()).containsExactly("environment variable REGISTRY_HEALTH_STORAGEDRIVER_ENABLED sets "
        + "'health', which is accepted for compatibility and has no effect: Berth serves /healthz and /readyz itself");
  }

  @Test
  void aBadValueFromTheEnvironmentNamesTheVariable() {
    assertThatThrownBy(() -> fixture.load(FILE, Map.of("REGISTRY_STORAGE_DELETE_ENABLED", "maybe")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("storage.delete.enabled: expected true or false, found 'maybe' (set by REGISTRY_STORAGE_DELETE_ENABLED)");
    assertThatThrownBy(() -> fixture.load(FILE, Map.of("REGISTRY_HTTP_ADDR", ":99999")))
        .hasMessage("http.addr: ':99999': port 99999 is out of range 0-65535 (set by REGISTRY_HTTP_ADDR)");
    assertThatThrownBy(() -> fixture.load(FILE, Map.of("REGISTRY_HTTP_HEADERS", "{a: [b")))
        .hasMessageStartingWith("environment variable REGISTRY_HTTP_HEADERS: invalid YAML");
  }

  @Test
  void aBadValueFromAFlagNamesTheFlag() {
    assertThatThrownBy(() -> fixture.load(FILE, Map.of("REGISTRY_LOG_LEVEL", "info"),
        new FlagOverride("log.level", "loud", "--log-level")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("log.level: 'loud' is not a log level; use one of error, warn, info, debug (set by --log-level)");
  }

  @Test
  void theEnvironmentPicksTheDriverAndSetsItsKeys() {
    assertThatThrownBy(() -> fixture.load(null, Map.of("REGISTRY_STORAGE", "s3")))
        .hasMessage("storage.s3.bucket: is required for the s3 storage driver (set by REGISTRY_STORAGE)");
    // a file with a filesystem section runs on S3 when the environment says so, as with registry:2
    var s3 = fixture.load("storage:\n  filesystem:\n    rootdirectory: %s\n".formatted(tmp.resolve("r")), Map.of(
        "REGISTRY_STORAGE", "s3",
        "REGISTRY_STORAGE_S3_BUCKET", "images",
        "REGISTRY_STORAGE_S3_REGIONENDPOINT", "minio.storage:9000",
        "REGISTRY_STORAGE_S3_SECURE", "false",
        "REGISTRY_STORAGE_S3_ACCESSKEY", "AKIAEXAMPLE",
        "REGISTRY_STORAGE_S3_SECRETKEY", "secret-from-a-secret",
        "REGISTRY_STORAGE_S3_CHUNKSIZE", "5242880",
        "REGISTRY_STORAGE_S3_ROOTDIRECTORY", "/team/registry/")).config().storage();
    assertThat(s3.s3()).isEqualTo(new dev.berth.registry.storage.S3Settings("images", "us-east-1",
        java.net.URI.create("http://minio.storage:9000"), "team/registry", "AKIAEXAMPLE", "secret-from-a-secret", true,
        false, 5242880, null, false, false));
    assertThatThrownBy(() -> fixture.load(null, Map.of("REGISTRY_STORAGE", "tape")))
        .hasMessageStartingWith("storage: unknown storage driver 'tape'");
    assertThat(fixture.load(null, Map.of("REGISTRY_STORAGE", "filesystem")).config().storage().rootDirectory())
        .isEqualTo(tmp.resolve("default-root"));
  }

  @Test
  void aWholeSectionFromTheEnvironmentIsRefusedWithAHint() {
    assertThatThrownBy(() -> fixture.load(null, Map.of("REGISTRY_LOG", "debug")))
        .hasMessage("REGISTRY_LOG names the whole section 'log'; set single keys instead, such as REGISTRY_LOG_ACCESSLOG");
  }

  @Test
  void anEnvironmentValueReplacesAnEmptySectionOfTheFile() {
    RegistryConfig config = fixture.load("http:\n", Map.of("REGISTRY_HTTP_ADDR", ":5010")).config();
    assertThat(config.http().port()).isEqualTo(5010);
  }
}
