package dev.berth.registry.tls;

import dev.berth.registry.config.RegistryConfig;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's TLS context, rebuilt when the PEM files change. Each new connection takes {@link #current()} (or
 * {@link #newHandler}), so a rotated certificate reaches new connections while open ones finish on the old one.
 * New files that do not work (unparsable, key not matching the certificate) are logged and the previous context
 * stays in service.
 */
public final class ServerTlsContext implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ServerTlsContext.class);
  private static final long MAX_PEM_BYTES = 1024 * 1024;

  /** TLS 1.3 suites, then TLS 1.2 with forward secrecy and AEAD only. Unsupported names are filtered out. */
  static final List<String> CIPHERS = List.of(
      "TLS_AES_128_GCM_SHA256",
      "TLS_AES_256_GCM_SHA384",
      "TLS_CHACHA20_POLY1305_SHA256",
      "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
      "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
      "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
      "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
      "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
      "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

  private final RegistryConfig.Tls config;
  private final MinimumTlsVersion minimum;
  private final SslProvider provider;
  private final WatchedFiles files;
  private volatile Loaded loaded;
  private PeriodicCheck watcher;

  /** What one successful load produced. */
  private record Loaded(SslContext context, List<X509Certificate> chain) {}

  private ServerTlsContext(RegistryConfig.Tls config, SslProvider provider) {
    this.config = config;
    this.minimum = MinimumTlsVersion.parse(config.minimumTls());
    this.provider = provider;
    List<Path> paths = new ArrayList<>();
    paths.add(config.certificate());
    paths.add(config.key());
    paths.addAll(clientCas(config));
    this.files = new WatchedFiles(paths, MAX_PEM_BYTES);
  }

  /**
   * Loads the certificate chain, key and optional client CAs named by {@code http.tls}; uses OpenSSL (BoringSSL
   * through netty-tcnative) when it is available and works ({@link OpenSslProbe}), the JDK otherwise.
   *
   * @throws TlsMaterialException when the files are missing or unusable; the message names the file
   */
  public static ServerTlsContext load(RegistryConfig.Tls config) {
    return load(config, OpenSslProbe.preferredProvider());
  }

  /** As {@link #load(RegistryConfig.Tls)} with a chosen provider (tests run both). */
  public static ServerTlsContext load(RegistryConfig.Tls config, SslProvider provider) {
    if (config == null || config.certificate() == null || config.key() == null) {
      throw new TlsMaterialException("http.tls needs both certificate and key");
    }
    ServerTlsContext context = new ServerTlsContext(config, provider);
    List<byte[]> contents;
    try {
      contents = context.files.read();
    } catch (IOException e) {
      throw new TlsMaterialException("http.tls: cannot read " + e.getMessage(), e);
    }
    context.loaded = context.build(contents);
    LOG.info("TLS ready with {} ({}), certificate {}", provider, context.minimum.protocols(), describe(context.loaded.chain()));
    return context;
  }

  /** The context for the next connection. */
  public SslContext current() {
    return loaded.context();
  }

  /** A handler for a new connection, from the current context. */
  public SslHandler newHandler(ByteBufAllocator allocator) {
    return current().newHandler(allocator);
  }

  public SslProvider provider() {
    return provider;
  }

  /** The certificate chain currently served, leaf first. */
  public List<X509Certificate> certificateChain() {
    return loaded.chain();
  }

  /**
   * Re-reads the files and switches to a new context if their content changed and is usable.
   *
   * @return true when a new context was put in service
   */
  public synchronized boolean reloadIfChanged() {
    Optional<List<byte[]>> changed;
    try {
      changed = files.readIfChanged();
    } catch (IOException e) {
      LOG.error("TLS files unreadable ({}); keeping the current certificate {}", e.getMessage(), describe(loaded.chain()));
      return false;
    }
    if (changed.isEmpty()) {
      return false;
    }
    try {
      // Open connections keep their engines; the old context is not released explicitly because a connection may
      // be taking it from current() right now. SslProvider.OPENSSL (not OPENSSL_REFCNT) frees it when unreachable.
      loaded = build(changed.get());
      LOG.info("TLS certificate reloaded: {}", describe(loaded.chain()));
      return true;
    } catch (TlsMaterialException e) {
      LOG.error("TLS files changed but are not usable ({}); keeping the current certificate {}",
          e.getMessage(), describe(loaded.chain()));
      return false;
    }
  }

  /** Checks the files every {@code interval} on a daemon thread until {@link #close()}. */
  public synchronized void watch(Duration interval) {
    if (watcher == null) {
      watcher = PeriodicCheck.start("berth-tls-reload", interval, this::reloadIfChanged);
    }
  }

  @Override
  public synchronized void close() {
    if (watcher != null) {
      watcher.close();
      watcher = null;
    }
  }

  private Loaded build(List<byte[]> contents) {
    List<X509Certificate> chain = PemReader.of(contents.get(0), "http.tls.certificate " + config.certificate()).certificates();
    KeyPair keyPair = PemReader.of(contents.get(1), "http.tls.key " + config.key()).keyPair();
    requireMatchingKey(chain.get(0), keyPair.getPrivate());
    List<X509Certificate> clientCas = new ArrayList<>();
    List<Path> caPaths = clientCas(config);
    for (int i = 0; i < caPaths.size(); i++) {
      clientCas.addAll(PemReader.of(contents.get(2 + i), "http.tls.clientcas " + caPaths.get(i)).certificates());
    }
    try {
      SslContextBuilder builder = SslContextBuilder.forServer(keyPair.getPrivate(), chain.toArray(X509Certificate[]::new))
          .sslProvider(provider)
          .protocols(minimum.protocols())
          .ciphers(CIPHERS, SupportedCipherSuiteFilter.INSTANCE);
      if (!clientCas.isEmpty()) {
        // As registry:2 does: with client CAs configured, a client must present a certificate they signed.
        builder.trustManager(clientCas.toArray(X509Certificate[]::new)).clientAuth(ClientAuth.REQUIRE);
      }
      return new Loaded(builder.build(), chain);
    } catch (SSLException | RuntimeException e) {
      throw new TlsMaterialException("http.tls: cannot build a TLS context from " + config.certificate() + " and "
          + config.key() + ": " + e.getMessage(), e);
    }
  }

  /** A key from another certificate would only fail at handshake time; catch it at load instead. */
  private void requireMatchingKey(X509Certificate leaf, PrivateKey key) {
    PublicKey publicKey = leaf.getPublicKey();
    String algorithm = switch (publicKey.getAlgorithm()) {
      case "RSA" -> "SHA256withRSA";
      case "EC" -> "SHA256withECDSA";
      case "Ed25519", "EdDSA" -> "Ed25519";
      default -> null;
    };
    if (algorithm == null) {
      return;
    }
    try {
      byte[] probe = "berth key check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(publicKey);
      verifier.update(probe);
      if (verifier.verify(signature)) {
        return;
      }
    } catch (GeneralSecurityException e) {
      // A key of another type than the certificate's lands here too.
    }
    throw new TlsMaterialException("http.tls.key " + config.key() + " does not belong to the certificate in "
        + config.certificate() + " (" + leaf.getSubjectX500Principal().getName() + ")");
  }

  private static List<Path> clientCas(RegistryConfig.Tls config) {
    return config.clientCas() == null ? List.of() : config.clientCas();
  }

  private static String describe(List<X509Certificate> chain) {
    X509Certificate leaf = chain.get(0);
    return "'" + leaf.getSubjectX500Principal().getName() + "' serial " + leaf.getSerialNumber().toString(16)
        + " valid until " + leaf.getNotAfter().toInstant();
  }
}
