package dev.berth.registry.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.registry.config.RegistryConfig;
import dev.berth.registry.testsupport.CiSkipRule;
import dev.berth.registry.tls.TestCertificates.Issued;
import dev.berth.registry.tls.TestCertificates.KeyFormat;
import io.netty.handler.ssl.SslProvider;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ServerTlsContextTest {
  @TempDir Path dir;

  private final Issued ca = TestCertificates.ca("Berth Test CA");

  private Map<String, String> secret(Issued leaf, KeyFormat format) {
    return Map.of("tls.crt", TestCertificates.pem(leaf.certificate(), ca.certificate()),
        "tls.key", TestCertificates.pem(leaf.keyPair(), format),
        "ca.crt", TestCertificates.pem(ca.certificate()));
  }

  private RegistryConfig.Tls config(SecretMount mount, String minimum, List<Path> clientCas) {
    return new RegistryConfig.Tls(mount.file("tls.crt"), mount.file("tls.key"), clientCas, minimum);
  }

  /** Under CI the OpenSSL provider (netty-tcnative BoringSSL, bundled) must work: a failing probe fails the test. */
  private static void requireProvider(SslProvider provider) {
    CiSkipRule.require(provider != SslProvider.OPENSSL || OpenSslProbe.works(),
        "netty-tcnative is missing or does not match this Netty version (see OpenSslProbe's log)");
  }

  @ParameterizedTest
  @EnumSource(value = SslProvider.class, names = {"JDK", "OPENSSL"})
  void servesTheCertificateAndPicksUpARotationOnlyForNewConnections(SslProvider provider) throws Exception {
    requireProvider(provider);
    SecretMount mount = new SecretMount(dir);
    Issued first = TestCertificates.leaf(ca, "localhost", TestCertificates.rsaKeyPair(2048));
    mount.publish(secret(first, KeyFormat.TRADITIONAL));
    try (ServerTlsContext tls = ServerTlsContext.load(config(mount, "tls1.2", List.of()), provider);
        TlsTestServer server = new TlsTestServer(tls)) {
      assertThat(tls.provider()).isEqualTo(provider);
      assertThat(handshake(server.port(), null, null)).isEqualTo(first.certificate().getSerialNumber());
      assertThat(tls.reloadIfChanged()).as("nothing changed yet").isFalse();

      Issued second = TestCertificates.leaf(ca, "localhost", TestCertificates.ecKeyPair("secp256r1"));
      mount.publish(secret(second, KeyFormat.PKCS8));
      assertThat(tls.reloadIfChanged()).isTrue();
      assertThat(tls.certificateChain().get(0).getSerialNumber()).isEqualTo(second.certificate().getSerialNumber());
      assertThat(handshake(server.port(), null, null)).isEqualTo(second.certificate().getSerialNumber());
    }
  }

  @Test
  void invalidNewFilesKeepTheCurrentCertificate() throws Exception {
    SecretMount mount = new SecretMount(dir);
    Issued first = TestCertificates.leaf(ca, "localhost", TestCertificates.ecKeyPair("secp256r1"));
    mount.publish(secret(first, KeyFormat.TRADITIONAL));
    try (ServerTlsContext tls = ServerTlsContext.load(config(mount, null, List.of()));
        TlsTestServer server = new TlsTestServer(tls)) {
      // A key that belongs to another certificate.
      Issued other = TestCertificates.leaf(ca, "localhost", TestCertificates.ecKeyPair("secp256r1"));
      mount.publish(Map.of("tls.crt", TestCertificates.pem(other.certificate()),
          "tls.key", TestCertificates.pem(first.keyPair(), KeyFormat.PKCS8)));
      assertThat(tls.reloadIfChanged()).isFalse();
      // Not PEM at all.
      mount.publish(Map.of("tls.crt", "garbage", "tls.key", "garbage"));
      assertThat(tls.reloadIfChanged()).isFalse();
      assertThat(handshake(server.port(), null, null)).isEqualTo(first.certificate().getSerialNumber());

      // Once the files are good again, they are taken.
      mount.publish(secret(other, KeyFormat.TRADITIONAL));
      assertThat(tls.reloadIfChanged()).isTrue();
      assertThat(handshake(server.port(), null, null)).isEqualTo(other.certificate().getSerialNumber());
    }
  }

  @Test
  void aDeletedFileKeepsTheCurrentCertificate() throws Exception {
    Issued leaf = TestCertificates.leaf(ca, "localhost", TestCertificates.ecKeyPair("secp256r1"));
    Path cert = TestCertificates.write(dir.resolve("tls.crt"), TestCertificates.pem(leaf.certificate()));
    Path key = TestCertificates.write(dir.resolve("tls.key"), TestCertificates.pem(leaf.keyPair(), KeyFormat.PKCS8));
    try (ServerTlsContext tls = ServerTlsContext.load(new RegistryConfig.Tls(cert, key, List.of(), null))) {
      Files.delete(key);
      assertThat(tls.reloadIfChanged()).isFalse();
      assertThat(tls.current()).isNotNull();
      assertThat(tls.certificateChain().get(0)).isEqualTo(leaf.certificate());
    }
  }

  @Test
  void theWatcherReloadsOnItsOwn() throws Exception {
    SecretMount mount = new SecretMount(dir);
    mount.publish(secret(TestCertificates.leaf(ca, "localhost", TestCertificates.ecKeyPair("secp256r1")), KeyFormat.PKCS8));
    try (ServerTlsContext tls = ServerTlsContext.load(config(mount, null, List.of()))) {
      tls.watch(Duration.ofMillis(100));
      Issued next = TestCertificates.leaf(ca, "localhost", TestCertificates.ecKeyPair("secp256r1"));
      mount.publish(secret(next, KeyFormat.PKCS8));
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
          .until(() -> tls.certificateChain().get(0).getSerialNumber().equals(next.certificate().getSerialNumber()));
    }
  }

  @Test
  void startFailsClearlyOnBadFiles() throws Exception {
    Issued leaf = TestCertificates.leaf(ca, "localhost", TestCertificates.ecKeyPair("secp256r1"));
    Path cert = TestCertificates.write(dir.resolve("tls.crt"), TestCertificates.pem(leaf.certificate()));
    Path key = TestCertificates.write(dir.resolve("tls.key"), TestCertificates.pem(leaf.keyPair(), KeyFormat.PKCS8));
    Path otherKey = TestCertificates.write(dir.resolve("other.key"),
        TestCertificates.pem(TestCertificates.ecKeyPair("secp256r1"), KeyFormat.TRADITIONAL));
    Path missing = dir.resolve("missing.crt");
    Path notPem = TestCertificates.write(dir.resolve("notpem.crt"), "hello");

    assertThatThrownBy(() -> ServerTlsContext.load(new RegistryConfig.Tls(missing, key, List.of(), null)))
        .isInstanceOf(TlsMaterialException.class).hasMessageContaining("missing.crt");
    assertThatThrownBy(() -> ServerTlsContext.load(new RegistryConfig.Tls(notPem, key, List.of(), null)))
        .isInstanceOf(TlsMaterialException.class).hasMessageContaining("no PEM certificate");
    assertThatThrownBy(() -> ServerTlsContext.load(new RegistryConfig.Tls(cert, otherKey, List.of(), null)))
        .isInstanceOf(TlsMaterialException.class).hasMessageContaining("does not belong to the certificate");
    assertThatThrownBy(() -> ServerTlsContext.load(new RegistryConfig.Tls(cert, cert, List.of(), null)))
        .isInstanceOf(TlsMaterialException.class).hasMessageContaining("no PEM private key");
    assertThatThrownBy(() -> ServerTlsContext.load(new RegistryConfig.Tls(cert, key, List.of(), "tls9")))
        .isInstanceOf(TlsMaterialException.class).hasMessageContaining("minimumtls");
    assertThatThrownBy(() -> ServerTlsContext.load(new RegistryConfig.Tls(cert, null, List.of(), null)))
        .isInstanceOf(TlsMaterialException.class).hasMessageContaining("certificate and key");
  }

  @Test
  void encryptedKeysAreRefusedWithAReason() throws Exception {
    Issued leaf = TestCertificates.leaf(ca, "localhost", TestCertificates.rsaKeyPair(2048));
    Path cert = TestCertificates.write(dir.resolve("tls.crt"), TestCertificates.pem(leaf.certificate()));
    java.io.StringWriter out = new java.io.StringWriter();
    try (org.bouncycastle.openssl.jcajce.JcaPEMWriter writer = new org.bouncycastle.openssl.jcajce.JcaPEMWriter(out)) {
      writer.writeObject(leaf.keyPair().getPrivate(),
          new org.bouncycastle.openssl.jcajce.JcePEMEncryptorBuilder("AES-128-CBC")
              .setProvider(new org.bouncycastle.jce.provider.BouncyCastleProvider()).build("secret".toCharArray()));
    }
    Path key = TestCertificates.write(dir.resolve("tls.key"), out.toString());
    assertThatThrownBy(() -> ServerTlsContext.load(new RegistryConfig.Tls(cert, key, List.of(), null)))
        .isInstanceOf(TlsMaterialException.class).hasMessageContaining("encrypted private keys are not supported");
  }

  @ParameterizedTest
  @EnumSource(value = SslProvider.class, names = {"JDK", "OPENSSL"})
  void minimumTls13RefusesTls12Clients(SslProvider provider) throws Exception {
    requireProvider(provider);
    SecretMount mount = new SecretMount(dir);
    mount.publish(secret(TestCertificates.leaf(ca, "localhost", TestCertificates.ecKeyPair("secp256r1")), KeyFormat.PKCS8));
    try (ServerTlsContext tls = ServerTlsContext.load(config(mount, "tls1.3", List.of()), provider);
        TlsTestServer server = new TlsTestServer(tls)) {
      assertThat(handshake(server.port(), null, new String[] {"TLSv1.3"})).isNotNull();
      assertThatThrownBy(() -> handshake(server.port(), null, new String[] {"TLSv1.2"})).isInstanceOf(SSLException.class);
    }
  }

  @ParameterizedTest
  @EnumSource(value = SslProvider.class, names = {"JDK", "OPENSSL"})
  void tls12ClientsGetAnAeadCipher(SslProvider provider) throws Exception {
    requireProvider(provider);
    SecretMount mount = new SecretMount(dir);
    mount.publish(secret(TestCertificates.leaf(ca, "localhost", TestCertificates.rsaKeyPair(2048)), KeyFormat.TRADITIONAL));
    try (ServerTlsContext tls = ServerTlsContext.load(config(mount, "tls1.2", List.of()), provider);
        TlsTestServer server = new TlsTestServer(tls);
        SSLSocket socket = connect(server.port(), null, new String[] {"TLSv1.2"})) {
      socket.startHandshake();
      assertThat(socket.getSession().getProtocol()).isEqualTo("TLSv1.2");
      assertThat(socket.getSession().getCipherSuite()).startsWith("TLS_ECDHE_").containsAnyOf("_GCM_", "CHACHA20_POLY1305");
      // A client offering only CBC suites finds nothing in common.
      try (SSLSocket cbcOnly = connect(server.port(), null, new String[] {"TLSv1.2"})) {
        cbcOnly.setEnabledCipherSuites(new String[] {"TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256"});
        assertThatThrownBy(cbcOnly::startHandshake).isInstanceOf(SSLException.class);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(value = SslProvider.class, names = {"JDK", "OPENSSL"})
  void clientCasRequireAClientCertificateTheyIssued(SslProvider provider) throws Exception {
    requireProvider(provider);
    Issued clientCa = TestCertificates.ca("Berth Client CA");
    Path clientCaFile = TestCertificates.write(dir.resolve("clients/ca.crt"), TestCertificates.pem(clientCa.certificate()));
    SecretMount mount = new SecretMount(dir.resolve("tls"));
    mount.publish(secret(TestCertificates.leaf(ca, "localhost", TestCertificates.ecKeyPair("secp256r1")), KeyFormat.PKCS8));
    Issued client = TestCertificates.leaf(clientCa, "ci-robot", TestCertificates.ecKeyPair("secp256r1"));
    Issued stranger = TestCertificates.leaf(TestCertificates.ca("Other CA"), "stranger", TestCertificates.ecKeyPair("secp256r1"));
    try (ServerTlsContext tls = ServerTlsContext.load(config(mount, null, List.of(clientCaFile)), provider);
        TlsTestServer server = new TlsTestServer(tls)) {
      assertThat(handshakeAndRead(server.port(), client)).isEqualTo("ok");
      assertThatThrownBy(() -> handshakeAndRead(server.port(), null)).isInstanceOf(java.io.IOException.class);
      assertThatThrownBy(() -> handshakeAndRead(server.port(), stranger)).isInstanceOf(java.io.IOException.class);
    }
  }

  /** Handshakes, reads the server's "ok", and returns the serial of the certificate the server presented. */
  private BigInteger handshake(int port, Issued clientCertificate, String[] protocols) throws Exception {
    try (SSLSocket socket = connect(port, clientCertificate, protocols)) {
      socket.startHandshake();
      BufferedReader reader = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
      assertThat(reader.readLine()).isEqualTo("ok");
      return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSerialNumber();
    }
  }

  /**
   * With TLS 1.3 a refused client certificate only shows when the client reads, so the read is part of the check.
   */
  private String handshakeAndRead(int port, Issued clientCertificate) throws Exception {
    try (SSLSocket socket = connect(port, clientCertificate, null)) {
      socket.startHandshake();
      String line = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII)).readLine();
      if (line == null) {
        throw new java.io.EOFException("server closed the connection");
      }
      return line;
    }
  }

  private SSLSocket connect(int port, Issued clientCertificate, String[] protocols) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("ca", ca.certificate());
    TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trustManagers.init(trust);
    KeyManagerFactory keyManagers = null;
    if (clientCertificate != null) {
      KeyStore keys = KeyStore.getInstance("PKCS12");
      keys.load(null, null);
      KeyPair pair = clientCertificate.keyPair();
      keys.setKeyEntry("client", pair.getPrivate(), "pw".toCharArray(), new X509Certificate[] {clientCertificate.certificate()});
      keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keyManagers.init(keys, "pw".toCharArray());
    }
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keyManagers == null ? null : keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
    SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port);
    socket.setSoTimeout(10_000);
    if (protocols != null) {
      socket.setEnabledProtocols(protocols);
    }
    return socket;
  }
}
