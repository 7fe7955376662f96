package dev.berth.registry.tls;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HttpsRedirectTest {
  @Test
  void keepsHostAndPathAndSwapsThePort() {
    assertThat(HttpsRedirect.location("registry.example:5080", "/v2/app/manifests/1.0?x=y", 5000))
        .contains("https://registry.example:5000/v2/app/manifests/1.0?x=y");
    assertThat(HttpsRedirect.location("registry.example", "/v2/", 443)).contains("https://registry.example/v2/");
    assertThat(HttpsRedirect.location("[::1]:80", "/v2/", 5443)).contains("https://[::1]:5443/v2/");
    assertThat(HttpsRedirect.location("10.0.0.1", "//evil.example/x", 443)).contains("https://10.0.0.1/");
  }

  @Test
  void refusesHostsThatAreNotPlainHosts() {
    assertThat(HttpsRedirect.location(null, "/v2/", 443)).isEmpty();
    assertThat(HttpsRedirect.location("evil.example/path", "/v2/", 443)).isEmpty();
    assertThat(HttpsRedirect.location("a\r\nSet-Cookie: x", "/v2/", 443)).isEmpty();
    assertThat(HttpsRedirect.location("user@host", "/v2/", 443)).isEmpty();
  }
}
