package dev.berth.registry.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.registry.testsupport.BoundedCommand;
import dev.berth.registry.testsupport.CiSkipRule;
import dev.berth.registry.testsupport.ExternalTool;
import dev.berth.registry.testsupport.ProcessResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every bad configuration stops the load with a one-line message naming the key. TMP stands for a temp directory. */
class ConfigErrorsTest {
  @TempDir
  Path tmp;
  ConfigFixture fixture;

  @BeforeEach
  void setUp() {
    fixture = new ConfigFixture(tmp);
    fixture.file("htpasswd");
    fixture.file("tls.crt");
    fixture.file("tls.key");
    fixture.file("a-file");
  }

  static Stream<Arguments> badConfigs() {
    return Stream.of(
        bad("unknown nested key", "storage:\n  filesytem:\n    rootdirectory: TMP/r\n",
            "unknown key 'storage.filesytem' (known keys under 'storage': cache, delete, filesystem, listings, maintenance, redirect, s3)"),
        bad("unknown top-level key", "htpp:\n  addr: :5000\n", "unknown key 'htpp' (known keys at the top level: auth,"),
        bad("unknown deep key", "storage:\n  delete:\n    enable: true\n", "unknown key 'storage.delete.enable'"),
        bad("port out of range", "http:\n  addr: :70000\n", "http.addr: ':70000': port 70000 is out of range 0-65535"),
        bad("port not a number", "http:\n  addr: :http\n", "http.addr: ':http': port 'http' is not a number"),
        bad("port missing", "http:\n  addr: '127.0.0.1:'\n", "http.addr: '127.0.0.1:': port '' is not a number"),
        bad("address without a colon", "http:\n  addr: 5000\n", "http.addr: '5000' is not [host]:port"),
        bad("host with a space", "http:\n  addr: 'exa mple:5000'\n", "'exa mple' is neither an IP address nor a host name"),
        bad("bare IPv6 host", "http:\n  addr: '::1:5000'\n", "put an IPv6 address in brackets"),
        bad("bracketed non-IPv6", "http:\n  addr: '[example]:5000'\n", "'example' is not an IPv6 address"),
        bad("bad log level", "log:\n  level: verbose\n", "log.level: 'verbose' is not a log level; use one of error, warn, info, debug"),
        bad("s3 without a bucket", "storage:\n  s3:\n    region: us-east-1\n",
            "storage.s3.bucket: is required for the s3 storage driver"),
        bad("s3 without a region or endpoint", "storage:\n  s3:\n    bucket: images\n",
            "storage.s3.region: is required for the s3 storage driver without a regionendpoint"),
        bad("s3 part size under 5 MiB", "storage:\n  s3:\n    bucket: images\n    region: eu-west-1\n    chunksize: 1048576\n",
            "storage.s3.chunksize: must be between 5242880 (5 MiB, S3's smallest part) and 5368709120 (5 GiB) bytes, found 1048576"),
        bad("s3 part size not a number", "storage:\n  s3:\n    bucket: images\n    region: eu-west-1\n    chunksize: 10MB\n",
            "storage.s3.chunksize: expected a size in bytes, found '10MB'"),
        bad("s3 access key without secret", "storage:\n  s3:\n    bucket: images\n    region: eu-west-1\n    accesskey: AKIA\n",
            "storage.s3.secretkey: is required when accesskey is set"),
        bad("s3 endpoint not a URL", "storage:\n  s3:\n    bucket: images\n    regionendpoint: 'ftp://host'\n",
            "storage.s3.regionendpoint: 'ftp://host' is not an http(s) URL or host[:port]"),
        bad("two drivers", "storage:\n  filesystem:\n    rootdirectory: TMP/r\n  s3:\n    bucket: images\n    region: eu-west-1\n",
            "storage: configures both the filesystem and the s3 driver; keep one"),
        bad("bad purge age", "storage:\n  maintenance:\n    uploadpurging:\n      age: soon\n",
            "storage.maintenance.uploadpurging.age: "),
        bad("inmemory driver", "storage:\n  inmemory:\n", "storage.inmemory: storage driver 'inmemory' is not supported; Berth stores on the filesystem or s3 driver"),
        bad("root below a file", "storage:\n  filesystem:\n    rootdirectory: TMP/a-file/sub\n",
            "storage.filesystem.rootdirectory: cannot create directory 'TMP/a-file/sub'"),
        bad("root is a file", "storage:\n  filesystem:\n    rootdirectory: TMP/a-file\n",
            "storage.filesystem.rootdirectory: 'TMP/a-file' is not a directory"),
        bad("read-only root missing",
            "storage:\n  filesystem:\n    rootdirectory: TMP/missing\n  maintenance:\n    readonly:\n      enabled: true\n",
            "'TMP/missing' is not a readable directory (in read-only mode it is not created)"),
        bad("YAML syntax", "http:\n  addr: [:5000\n", "config.yml: invalid YAML at line"),
        bad("duplicate key", "http:\n  addr: :5000\n  addr: :5001\n", "invalid YAML at line 3, column 7: Duplicate field 'addr'"),
        bad("top level is a list", "- http\n", "config.yml: expected a mapping of keys at the top level, found a list"),
        bad("section is a scalar", "storage: filesystem\n", "storage: expected a mapping of keys, found 'filesystem'"),
        bad("value is a mapping", "http:\n  addr:\n    port: 5000\n", "http.addr: expected a single value, found a mapping"),
        bad("other config version", "version: 0.2\n", "version: '0.2' is not supported; Berth reads config files of version 0.1"),
        bad("listings refresh without unit", "storage:\n  listings:\n    refresh: 30\n",
            "storage.listings.refresh: '30' is not a duration; write it as 60s, 1m30s or 500ms"),
        bad("listings refresh of zero", "storage:\n  listings:\n    refresh: 0s\n",
            "storage.listings.refresh: must be at least 1ms, found '0s'"),
        bad("bad boolean", "storage:\n  delete:\n    enabled: sometimes\n",
            "storage.delete.enabled: expected true or false, found 'sometimes'"),
        bad("certificate missing", "http:\n  tls:\n    certificate: TMP/none.crt\n    key: TMP/tls.key\n",
            "http.tls.certificate: file 'TMP/none.crt' does not exist"),
        bad("certificate is a directory", "http:\n  tls:\n    certificate: TMP\n    key: TMP/tls.key\n",
            "http.tls.certificate: 'TMP' is not a readable file"),
        bad("key without certificate", "http:\n  tls:\n    key: TMP/tls.key\n",
            "http.tls.certificate: is required when http.tls.key or http.tls.clientcas is set"),
        bad("certificate without key", "http:\n  tls:\n    certificate: TMP/tls.crt\n",
            "http.tls.key: is required when http.tls.certificate is set"),
        bad("client CA missing",
            "http:\n  tls:\n    certificate: TMP/tls.crt\n    key: TMP/tls.key\n    clientcas: [TMP/tls.crt, TMP/ca.pem]\n",
            "http.tls.clientcas[1]: file 'TMP/ca.pem' does not exist"),
        bad("TLS 1.0", "http:\n  tls:\n    certificate: TMP/tls.crt\n    key: TMP/tls.key\n    minimumtls: tls1.0\n",
            "http.tls.minimumtls: 'tls1.0' is not supported: TLS 1.0 and 1.1 are insecure"),
        bad("unknown TLS version", "http:\n  tls:\n    certificate: TMP/tls.crt\n    key: TMP/tls.key\n    minimumtls: ssl3\n",
            "http.tls.minimumtls: 'ssl3' is not a TLS version"),
        bad("letsencrypt", "http:\n  tls:\n    letsencrypt:\n      email: a@example.com\n",
            "http.tls.letsencrypt: Let's Encrypt is not supported"),
        bad("redirect without TLS", "http:\n  redirect:\n    addr: :5080\n", "http.redirect.addr: needs http.tls"),
        bad("redirect on the same port",
            "http:\n  addr: :5443\n  tls:\n    certificate: TMP/tls.crt\n    key: TMP/tls.key\n  redirect:\n    addr: :5443\n",
            "http.redirect.addr: port 5443 is already http.addr's port"),
        bad("debug address without a port", "http:\n  debug:\n    addr: localhost\n",
            "http.debug.addr: 'localhost' is not [host]:port"),
        bad("debug port out of range", "http:\n  debug:\n    addr: :65536\n",
            "http.debug.addr: ':65536': port 65536 is out of range 0-65535"),
        bad("debug on the registry's port", "http:\n  addr: :5000\n  debug:\n    addr: 127.0.0.1:5000\n",
            "http.debug.addr: port 5000 is already http.addr's port"),
        bad("debug on the redirect port",
            "http:\n  tls:\n    certificate: TMP/tls.crt\n    key: TMP/tls.key\n  redirect:\n    addr: :5080\n"
                + "  debug:\n    addr: :5080\n",
            "http.debug.addr: port 5080 is already http.redirect.addr's port"),
        bad("prometheus without a debug address", "http:\n  debug:\n    prometheus:\n      enabled: true\n",
            "http.debug.prometheus.enabled: needs http.debug.addr: metrics are served on the debug listener only"),
        bad("prometheus switch not a boolean", "http:\n  debug:\n    addr: :5001\n    prometheus:\n      enabled: maybe\n",
            "http.debug.prometheus.enabled: expected true or false, found 'maybe'"),
        bad("metrics path not absolute", "http:\n  debug:\n    addr: :5001\n    prometheus:\n      path: metrics\n",
            "http.debug.prometheus.path: 'metrics' is not an absolute URL path such as /metrics"),
        bad("metrics path with a query", "http:\n  debug:\n    addr: :5001\n    prometheus:\n      path: /metrics?x=1\n",
            "http.debug.prometheus.path: '/metrics?x=1' is not an absolute URL path"),
        bad("metrics path with a dot segment", "http:\n  debug:\n    addr: :5001\n    prometheus:\n      path: /a/../metrics\n",
            "http.debug.prometheus.path: '/a/../metrics' is not an absolute URL path"),
        bad("debug section is a value", "http:\n  debug: on\n", "http.debug"),
        bad("debug over TLS", "http:\n  debug:\n    addr: :5001\n    tls:\n      certificate: TMP/tls.crt\n",
            "http.debug.tls: the debug listener serves plain HTTP"),
        bad("path prefix", "http:\n  prefix: /registry/\n", "http.prefix: serving under a path prefix ('/registry/') is not supported"),
        bad("unix socket", "http:\n  net: unix\n", "http.net: 'unix' is not supported; Berth listens on tcp"),
        bad("bad header name", "http:\n  headers:\n    'X Bad': [x]\n", "http.headers.X Bad: 'X Bad' is not a valid HTTP header name"),
        bad("header is a mapping", "http:\n  headers:\n    X-A: {b: c}\n", "http.headers.X-A: expected a list of values, found a mapping"),
        bad("bad log field name", "log:\n  fields:\n    'a b': c\n", "log.fields.a b: field names may contain only"),
        bad("empty htpasswd section", "auth:\n  htpasswd:\n", "auth.htpasswd.path: is required"),
        bad("htpasswd file missing", "auth:\n  htpasswd:\n    path: TMP/nope\n", "auth.htpasswd.path: file 'TMP/nope' does not exist"),
        bad("quote in realm", "auth:\n  htpasswd:\n    path: TMP/htpasswd\n    realm: 'a\"b'\n",
            "auth.htpasswd.realm: must not contain quotes"),
        bad("token without htpasswd", "auth:\n  token:\n    service: x\n", "auth.token: needs auth.htpasswd"),
        bad("external token server", "auth:\n  token:\n    rootcertbundle: /certs/bundle\n",
            "auth.token.rootcertbundle: Berth's auth.token is its own token service"),
        bad("token lifetime zero", "auth:\n  htpasswd:\n    path: TMP/htpasswd\n  token:\n    expiration: 0\n",
            "auth.token.expiration: 0 is out of range"),
        bad("token lifetime not a number", "auth:\n  htpasswd:\n    path: TMP/htpasswd\n  token:\n    expiration: 5m\n",
            "auth.token.expiration: expected a whole number, found '5m'"),
        bad("token realm not a URL", "auth:\n  htpasswd:\n    path: TMP/htpasswd\n  token:\n    realm: registry\n",
            "auth.token.realm: 'registry' is not an http(s) URL"),
        bad("anonymous pull without auth", "auth:\n  anonymouspull: true\n", "auth.anonymouspull: needs auth.htpasswd"),
        bad("access without auth", "auth:\n  access:\n    - {account: a, repository: b, actions: [pull]}\n",
            "auth.access: needs auth.htpasswd"),
        bad("access rule unknown key",
            "auth:\n  htpasswd:\n    path: TMP/htpasswd\n  access:\n    - {acount: a, repository: b, actions: [pull]}\n",
            "unknown key 'auth.access[0].acount' (known keys: account, actions, repository)"),
        bad("anonymous may not push",
            "auth:\n  htpasswd:\n    path: TMP/htpasswd\n  access:\n    - {account: anonymous, repository: b, actions: [pull, push]}\n",
            "auth.access[0].actions: account 'anonymous' (requests without credentials) may only pull, not pull, push"),
        bad("access rule bad action",
            "auth:\n  htpasswd:\n    path: TMP/htpasswd\n  access:\n    - {account: a, repository: b, actions: [pull, fly]}\n",
            "auth.access[0].actions: 'fly' is not an action; use pull, push, delete"),
        bad("access rule without account",
            "auth:\n  htpasswd:\n    path: TMP/htpasswd\n  access:\n    - {repository: b, actions: [pull]}\n",
            "auth.access[0].account: is required"),
        bad("access rule bad glob",
            "auth:\n  htpasswd:\n    path: TMP/htpasswd\n  access:\n    - {account: a, repository: 'Team/*', actions: [pull]}\n",
            "auth.access[0].repository: 'Team/*' is not a repository name or glob"),
        bad("access is not a list", "auth:\n  htpasswd:\n    path: TMP/htpasswd\n  access: everyone\n",
            "auth.access: expected a list of rules"),
        bad("silly auth", "auth:\n  silly:\n    realm: x\n", "auth.silly: the 'silly' development auth is not supported"),
        bad("notification endpoint without url", "notifications:\n  endpoints:\n    - name: ci\n", "notifications.endpoints[0].url: is required and must be a non-empty string"),
        bad("notification url not http", "notifications:\n  endpoints:\n    - name: ci\n      url: ftp://listener/event\n",
            "notifications.endpoints[0].url: 'ftp://listener/event' is not an http or https URL"),
        bad("notification bad timeout", "notifications:\n  endpoints:\n    - name: ci\n      url: http://listener/event\n      timeout: soon\n",
            "notifications.endpoints[0].timeout: "),
        bad("notification bad backoff", "notifications:\n  endpoints:\n    - name: ci\n      url: http://listener/event\n      backoff: 1\n",
            "notifications.endpoints[0].backoff: "),
        bad("notification queue size zero", "notifications:\n  endpoints:\n    - name: ci\n      url: http://listener/event\n      queuesize: 0\n",
            "notifications.endpoints[0].queuesize: must be a whole number of at least 1, found "),
        bad("notification negative retries", "notifications:\n  endpoints:\n    - name: ci\n      url: http://listener/event\n      maxretries: -1\n",
            "notifications.endpoints[0].maxretries: must be a whole number of at least 0"),
        bad("notification unknown action", "notifications:\n  endpoints:\n    - name: ci\n      url: http://listener/event\n      ignore:\n        actions: [fetch]\n",
            "notifications.endpoints[0].ignore.actions: 'fetch' is not an action (push, pull, mount, delete)"),
        bad("notification unknown key", "notifications:\n  endpoints:\n    - name: ci\n      url: http://listener/event\n      retries: 3\n",
            "unknown key 'notifications.endpoints[0].retries'"),
        bad("notification restricted header", "notifications:\n  endpoints:\n    - name: ci\n      url: http://listener/event\n      headers:\n        Host: [x]\n",
            "notifications.endpoints[0].headers.Host: 'Host' is set by the HTTP client and cannot be configured"),
        bad("notification endpoints not a list", "notifications:\n  endpoints: yes\n",
            "notifications.endpoints: expected a list of endpoints"),
        bad("notification duplicate name", "notifications:\n  endpoints:\n    - name: ci\n      url: http://a/e\n    - name: ci\n      url: http://b/e\n",
            "notifications.endpoints[1].name: 'ci' is used by another endpoint"),
        bad("proxy remoteurl not a URL", "proxy:\n  remoteurl: registry-1.docker.io\n",
            "proxy.remoteurl: 'registry-1.docker.io' is not a registry URL"),
        bad("proxy remoteurl with a path", "proxy:\n  remoteurl: https://ghcr.io/v2/\n", "proxy.remoteurl: 'https://ghcr.io/v2/'"),
        bad("proxy username without password", "proxy:\n  remoteurl: https://ghcr.io\n  username: me\n",
            "proxy.password: is required together with proxy.username"),
        bad("proxy ttl not a duration", "proxy:\n  remoteurl: https://ghcr.io\n  ttl: a week\n", "proxy.ttl: 'a week' is not a duration"),
        bad("proxy ttl without remoteurl", "proxy:\n  ttl: 1h\n", "proxy.ttl: belongs to proxy.remoteurl, which is not set"),
        bad("proxy exec helper", "proxy:\n  remoteurl: https://ghcr.io\n  exec:\n    command: x\n",
            "proxy.exec: credential helpers are not supported"),
        bad("proxy both shapes", "proxy:\n  remoteurl: https://ghcr.io\n  upstreams:\n    - {name: ghcr, url: https://ghcr.io}\n",
            "proxy.remoteurl: use either proxy.remoteurl"),
        bad("proxy upstreams not a list", "proxy:\n  upstreams: ghcr\n", "proxy.upstreams: expected a list of upstreams"),
        bad("proxy upstream unknown key", "proxy:\n  upstreams:\n    - {name: ghcr, url: https://ghcr.io, password: x}\n",
            "proxy.upstreams[0]: unknown key 'proxy.upstreams[0].password' (known keys: cafile, dockermirror, host, name, passwordfile, ttl, url, usernamefile)"),
        bad("proxy two docker mirrors",
            "proxy:\n  upstreams:\n    - {name: hub, url: https://registry-1.docker.io, dockermirror: true}\n"
                + "    - {name: other, url: https://mirror.gcr.io, dockermirror: true}\n",
            "proxy.upstreams[1].dockermirror: only one upstream can answer Docker's registry-mirrors requests"),
        bad("proxy docker mirror not a bool",
            "proxy:\n  upstreams:\n    - {name: hub, url: https://registry-1.docker.io, dockermirror: maybe}\n",
            "proxy.upstreams[0].dockermirror: expected true or false, found 'maybe'"),
        bad("proxy upstream without name", "proxy:\n  upstreams:\n    - {url: https://ghcr.io}\n",
            "proxy.upstreams[0].name: is required"),
        bad("proxy upstream bad name", "proxy:\n  upstreams:\n    - {name: Docker/Hub, url: https://ghcr.io}\n",
            "proxy.upstreams[0].name: 'Docker/Hub' is not one lowercase path component"),
        bad("proxy upstream without url", "proxy:\n  upstreams:\n    - {name: ghcr}\n", "proxy.upstreams[0].url: is required"),
        bad("proxy upstream bad host", "proxy:\n  upstreams:\n    - {name: ghcr, url: https://ghcr.io, host: 'gh cr'}\n",
            "proxy.upstreams[0].host: 'gh cr' is not a registry host"),
        bad("proxy upstream bad ttl", "proxy:\n  upstreams:\n    - {name: ghcr, url: https://ghcr.io, ttl: -1m}\n",
            "proxy.upstreams[0].ttl: '-1m' is negative"),
        bad("proxy upstream missing password file",
            "proxy:\n  upstreams:\n    - {name: ghcr, url: https://ghcr.io, usernamefile: TMP/a-file, passwordfile: TMP/nope}\n",
            "proxy.upstreams[0].passwordfile: file 'TMP/nope' does not exist"),
        bad("proxy upstream username file alone",
            "proxy:\n  upstreams:\n    - {name: ghcr, url: https://ghcr.io, usernamefile: TMP/a-file}\n",
            "proxy.upstreams[0].passwordfile: is required together with proxy.upstreams[0].usernamefile"),
        bad("proxy upstream duplicate name",
            "proxy:\n  upstreams:\n    - {name: ghcr, url: https://ghcr.io}\n    - {name: ghcr, url: https://quay.io}\n",
            "proxy.upstreams[1].name: 'ghcr' is used by another upstream"),
        bad("proxy upstream duplicate host",
            "proxy:\n  upstreams:\n    - {name: hub, url: https://registry-1.docker.io}\n    - {name: hub2, url: https://index.docker.io}\n",
            "proxy.upstreams[1].host: 'docker.io' is used by another upstream"));
  }

  private static Arguments bad(String name, String yaml, String expected) {
    return Arguments.of(name, yaml, expected);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badConfigs")
  void badConfigIsRefusedWithAMessageNamingTheKey(String name, String yaml, String expected) {
    assertThatThrownBy(() -> fixture.load(yaml.replace("TMP", tmp.toString())))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(expected.replace("TMP", tmp.toString()))
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @Test
  void aMissingConfigFileIsNamed() {
    Path missing = tmp.resolve("nope.yml");
    assertThatThrownBy(() -> new ConfigLoader(Map.of(), fixture.defaults()).load(missing, List.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessage("config file '" + missing + "' does not exist");
  }

  @Test
  void aConfigFileThatIsNotUtf8IsNamed() throws Exception {
    Path file = Files.write(tmp.resolve("latin1.yml"), new byte[] {'a', ':', ' ', (byte) 0xE9, '\n'});
    assertThatThrownBy(() -> new ConfigLoader(Map.of(), fixture.defaults()).load(file, List.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessage("config file '" + file + "' is not UTF-8 text");
  }

  /**
   * Permission bits do not stop root (CI runs as root), so there the check runs in a child JVM that is root without
   * capabilities ({@code setpriv --bounding-set=-all}): the kernel then applies the bits to it as to anyone.
   */
  @Test
  void anUnwritableRootIsRefused() throws Exception {
    Path root = Files.createDirectory(tmp.resolve("locked"));
    Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("r-xr-xr-x"));
    String expected = "storage.filesystem.rootdirectory: directory '" + root + "' is not writable: permission denied";
    try {
      if (!Files.isWritable(root)) {
        assertThatThrownBy(() -> fixture.load("storage:\n  filesystem:\n    rootdirectory: " + root + "\n"))
            .isInstanceOf(ConfigException.class)
            .hasMessage(expected);
        return;
      }
      ExternalTool setpriv = ExternalTool.require("setpriv", "util-linux");
      Path config = Files.writeString(tmp.resolve("locked.yml"),
          "http:\n  addr: 127.0.0.1:0\nstorage:\n  filesystem:\n    rootdirectory: " + root + "\n");
      String java = ProcessHandle.current().info().command().orElseThrow();
      ProcessResult result = BoundedCommand.run(List.of(setpriv.path().toString(), "--inh-caps=-all", "--bounding-set=-all",
          "--", java, "-cp", System.getProperty("java.class.path"), "dev.berth.registry.Main", "serve", config.toString()),
          Duration.ofSeconds(60));
      assertThat(result.exitCode()).as(result.describe()).isEqualTo(2);
      assertThat(result.stderr() + result.stdout()).as(result.describe()).contains(expected);
      assertThat(root).as("the check leaves nothing behind").isEmptyDirectory();
    } finally {
      Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
  }

  @Test
  void aRootWhereNoFileCanBeCreatedIsRefusedEvenForRoot() {
    Path procSelf = Path.of("/proc/self");
    CiSkipRule.require(Files.isDirectory(procSelf), "needs Linux's /proc, a directory nobody can create files in");
    assertThatThrownBy(() -> fixture.load("storage:\n  filesystem:\n    rootdirectory: /proc/self\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("storage.filesystem.rootdirectory: directory '/proc/self' is not writable: ");
  }
}
