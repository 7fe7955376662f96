package dev.berth.registry.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.registry.tls.TestCertificates.Issued;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.Test;

class OpenSslProbeTest {
  private final Issued ca = TestCertificates.ca("Probe CA");
  private final Issued leaf = TestCertificates.leaf(ca, "localhost", TestCertificates.ecKeyPair("secp256r1"));

  private SslContext client() throws SSLException {
    return SslContextBuilder.forClient().sslProvider(SslProvider.JDK).trustManager(InsecureTrustManagerFactory.INSTANCE).build();
  }

  @Test
  void theInMemoryHandshakeCompletesBetweenWorkingEngines() throws Exception {
    SslContext server = SslContextBuilder.forServer(leaf.keyPair().getPrivate(), leaf.certificate()).sslProvider(SslProvider.JDK).build();
    assertThat(OpenSslProbe.handshake(client().newEngine(ByteBufAllocator.DEFAULT), server.newEngine(ByteBufAllocator.DEFAULT))).isTrue();
  }

  @Test
  void aHandshakeThatCannotSucceedIsReportedNotHung() throws Exception {
    SslContext server = SslContextBuilder.forServer(leaf.keyPair().getPrivate(), leaf.certificate()).sslProvider(SslProvider.JDK)
        .trustManager(ca.certificate()).clientAuth(ClientAuth.REQUIRE).build();
    assertThatThrownBy(() -> OpenSslProbe.handshake(client().newEngine(ByteBufAllocator.DEFAULT), server.newEngine(ByteBufAllocator.DEFAULT)))
        .isInstanceOf(SSLException.class);
  }

  @Test
  void thePreferredProviderServesTls() throws Exception {
    SslProvider provider = OpenSslProbe.preferredProvider();
    SslContext server = SslContextBuilder.forServer(leaf.keyPair().getPrivate(), leaf.certificate()).sslProvider(provider).build();
    assertThat(OpenSslProbe.handshake(client().newEngine(ByteBufAllocator.DEFAULT), server.newEngine(ByteBufAllocator.DEFAULT)))
        .as("whichever provider the probe picked must complete a handshake").isTrue();
  }
}
