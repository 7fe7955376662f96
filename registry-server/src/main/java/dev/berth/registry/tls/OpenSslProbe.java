package dev.berth.registry.tls;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.util.ReferenceCountUtil;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether netty-tcnative's OpenSSL really works, tested by one in-memory handshake with a throwaway certificate.
 * {@code OpenSsl.isAvailable()} only says the native library loaded; a tcnative older than the one Netty was built
 * against loads fine and then fails every handshake (e.g. {@code NoSuchMethodError: SSL.getVersionInt}), which
 * would make the server unreachable. The JDK provider is used when the probe fails.
 */
public final class OpenSslProbe {
  private static final Logger LOG = LoggerFactory.getLogger(OpenSslProbe.class);
  private static volatile Boolean works;

  private OpenSslProbe() {}

  /** OpenSSL when it is available and completes a handshake; the JDK's TLS otherwise. Probed once per process. */
  public static SslProvider preferredProvider() {
    return works() ? SslProvider.OPENSSL : SslProvider.JDK;
  }

  public static boolean works() {
    Boolean result = works;
    if (result == null) {
      synchronized (OpenSslProbe.class) {
        if (works == null) {
          works = probe();
        }
        result = works;
      }
    }
    return result;
  }

  private static boolean probe() {
    if (!OpenSsl.isAvailable()) {
      LOG.info("OpenSSL (netty-tcnative) is not available ({}); using the JDK's TLS",
          OpenSsl.unavailabilityCause() == null ? "unknown reason" : OpenSsl.unavailabilityCause().getMessage());
      return false;
    }
    SslContext server = null;
    SslContext client = null;
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      KeyPair keyPair = generator.generateKeyPair();
      server = SslContextBuilder.forServer(keyPair.getPrivate(), selfSigned(keyPair)).sslProvider(SslProvider.OPENSSL).build();
      client = SslContextBuilder.forClient().sslProvider(SslProvider.JDK)
          .trustManager(InsecureTrustManagerFactory.INSTANCE).build();
      SSLEngine serverEngine = server.newEngine(ByteBufAllocator.DEFAULT);
      SSLEngine clientEngine = client.newEngine(ByteBufAllocator.DEFAULT);
      try {
        if (handshake(clientEngine, serverEngine)) {
          LOG.info("TLS through OpenSSL: {}", OpenSsl.versionString());
          return true;
        }
        LOG.warn("OpenSSL ({}) did not complete a test handshake; using the JDK's TLS", OpenSsl.versionString());
        return false;
      } finally {
        ReferenceCountUtil.release(serverEngine);
        ReferenceCountUtil.release(clientEngine);
      }
    } catch (Exception | LinkageError e) {
      LOG.warn("OpenSSL ({}) fails a test handshake ({}); netty-tcnative probably does not match this Netty version; "
          + "using the JDK's TLS", OpenSsl.versionString(), rootCause(e));
      return false;
    } finally {
      ReferenceCountUtil.release(server);
      ReferenceCountUtil.release(client);
    }
  }

  /** One in-memory handshake, bounded in rounds; package-private so the loop itself is tested with JDK engines. */
  static boolean handshake(SSLEngine client, SSLEngine server) throws SSLException {
    ByteBuffer toServer = ByteBuffer.allocate(64 * 1024);
    ByteBuffer toClient = ByteBuffer.allocate(64 * 1024);
    client.beginHandshake();
    server.beginHandshake();
    for (int round = 0; round < 50; round++) {
      step(client, toServer, toClient);
      step(server, toClient, toServer);
      if (client.getHandshakeStatus() == HandshakeStatus.NOT_HANDSHAKING
          && server.getHandshakeStatus() == HandshakeStatus.NOT_HANDSHAKING) {
        return true;
      }
    }
    return false;
  }

  /** Lets {@code engine} act until it waits for its peer: {@code out} and {@code in} are kept in write mode. */
  private static void step(SSLEngine engine, ByteBuffer out, ByteBuffer in) throws SSLException {
    ByteBuffer empty = ByteBuffer.allocate(0);
    ByteBuffer sink = ByteBuffer.allocate(64 * 1024);
    for (int i = 0; i < 20; i++) {
      HandshakeStatus status = engine.getHandshakeStatus();
      if (status == HandshakeStatus.NEED_TASK) {
        Runnable task;
        for (int t = 0; t < 20 && (task = engine.getDelegatedTask()) != null; t++) {
          task.run();
        }
      } else if (status == HandshakeStatus.NEED_WRAP) {
        engine.wrap(empty, out);
      } else if (status == HandshakeStatus.NEED_UNWRAP || status == HandshakeStatus.NEED_UNWRAP_AGAIN) {
        in.flip();
        SSLEngineResult result = engine.unwrap(in, sink);
        in.compact();
        sink.clear();
        if (result.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW
            || (result.bytesConsumed() == 0 && result.getHandshakeStatus() == status)) {
          return;
        }
      } else {
        return;
      }
    }
  }

  private static X509Certificate selfSigned(KeyPair keyPair) throws Exception {
    Instant now = Instant.now();
    X500Name name = new X500Name("CN=berth-openssl-probe");
    return new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(name, BigInteger.ONE,
        Date.from(now.minus(Duration.ofMinutes(1))), Date.from(now.plus(Duration.ofMinutes(10))), name, keyPair.getPublic())
        .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keyPair.getPrivate())));
  }

  private static String rootCause(Throwable e) {
    Throwable cause = e;
    for (int i = 0; i < 10 && cause.getCause() != null; i++) {
      cause = cause.getCause();
    }
    return cause.toString();
  }
}
