package dev.berth.registry.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.registry.testsupport.Skopeo.Access;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class SkopeoAccessTest {
  @Test
  void unverifiedIsPlainAndAnonymousAsBeforeTls() {
    assertThat(Access.unverified().flags("src-")).containsExactly("--src-tls-verify=false", "--src-no-creds");
  }

  @Test
  void verifiedWithACertDirAndCredentials() {
    Path certs = Path.of("/tmp/berth-test-certs");
    assertThat(Access.verified(certs).withCredentials("alice", "pa:ss").flags("dest-"))
        .containsExactly("--dest-tls-verify=true", "--dest-cert-dir=" + certs.toAbsolutePath(),
            "--dest-creds=alice:pa:ss");
    assertThat(Access.verifiedBySystemTrust().flags("")).containsExactly("--tls-verify=true", "--no-creds");
    assertThat(Access.verified(certs).withCredentials("alice", "x").anonymous())
        .isEqualTo(Access.verified(certs));
  }

  @Test
  void badCombinationsAreRefused() {
    assertThatThrownBy(() -> new Access(false, Path.of("/tmp"), null, null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cert dir");
    assertThatThrownBy(() -> Access.unverified().withCredentials("al:ice", "x"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("without ':'");
    assertThatThrownBy(() -> Access.unverified().withCredentials("", "x")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Access.unverified().withCredentials("alice", null))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
