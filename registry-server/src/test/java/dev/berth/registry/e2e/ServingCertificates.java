package dev.berth.registry.e2e;

import dev.berth.registry.config.RegistryConfig;
import dev.berth.registry.tls.TestCertificates;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A test CA (BouncyCastle) and the files a TLS registry and its clients use: {@code tls/tls.crt} and {@code
 * tls/tls.key} for the server (a certificate for 127.0.0.1 and localhost), and {@code client-certs/ca.crt}, the
 * directory skopeo's {@code --cert-dir} reads. {@link #rotate()} swaps in a new certificate from the same CA the way a
 * careful tool does: each file written beside its target and renamed over it atomically.
 */
final class ServingCertificates {
  private final TestCertificates.Issued ca;
  private final Path tlsDir;
  private final Path clientCertDir;
  private volatile X509Certificate serving;

  private ServingCertificates(TestCertificates.Issued ca, Path dir) {
    this.ca = ca;
    this.tlsDir = dir.resolve("tls");
    this.clientCertDir = dir.resolve("client-certs");
  }

  /** Writes the CA for clients and a first serving certificate signed by {@code ca} under {@code dir}. */
  static ServingCertificates create(TestCertificates.Issued ca, Path dir) {
    ServingCertificates files = new ServingCertificates(ca, dir);
    try {
      Files.createDirectories(files.tlsDir);
      Files.createDirectories(files.clientCertDir);
      Files.writeString(files.clientCertDir.resolve("ca.crt"), TestCertificates.pem(ca.certificate()),
          StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    files.rotate();
    return files;
  }

  /** {@code http.tls} pointing at the serving files, TLS 1.2 and up, no client certificates. */
  RegistryConfig.Tls config() {
    return new RegistryConfig.Tls(tlsDir.resolve("tls.crt"), tlsDir.resolve("tls.key"), List.of(), "tls1.2");
  }

  /** The directory holding only {@code ca.crt}: what skopeo's {@code --cert-dir} should point at. */
  Path clientCertDir() {
    return clientCertDir;
  }

  /** The certificate last written to {@code tls.crt}. */
  X509Certificate serving() {
    return serving;
  }

  /**
   * Issues a new serving certificate (new key, new random serial) from the same CA and replaces the key, then the
   * certificate, each by an atomic rename. The server may read the files between the two renames and see a key that
   * does not match; it must keep its current certificate then and take the pair once both are in place.
   */
  X509Certificate rotate() {
    TestCertificates.Issued leaf = TestCertificates.leaf(ca, "berth-test-serving",
        TestCertificates.ecKeyPair("secp256r1"));
    try {
      replaceAtomically(tlsDir.resolve("tls.key"),
          TestCertificates.pem(leaf.keyPair(), TestCertificates.KeyFormat.PKCS8));
      replaceAtomically(tlsDir.resolve("tls.crt"), TestCertificates.pem(leaf.certificate()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    serving = leaf.certificate();
    return serving;
  }

  /** A client SSL context trusting this CA only. */
  SSLContext clientContext() {
    try {
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      trust.setCertificateEntry("berth-test-ca", ca.certificate());
      TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(trust);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, factory.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build a client TLS context", e);
    }
  }

  private static void replaceAtomically(Path target, String content) throws IOException {
    Path temp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
    Files.writeString(temp, content, StandardCharsets.US_ASCII);
    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
