package dev.berth.registry.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ListenAddressTest {
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      ":5000 | 0.0.0.0 | 5000",
      "127.0.0.1:5000 | 127.0.0.1 | 5000",
      "localhost:0 | localhost | 0",
      "registry.example.com:443 | registry.example.com | 443",
      "[::]:5000 | :: | 5000",
      "[::1]:65535 | ::1 | 65535",
      "' :5000 ' | 0.0.0.0 | 5000"})
  void parsesDistributionStyleAddresses(String text, String host, int port) {
    ListenAddress address = ListenAddress.parse(text);
    assertThat(address).isEqualTo(new ListenAddress(host, port));
    assertThat(ListenAddress.parse(address.toString())).isEqualTo(address);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "5000", ":", ":-1", ":65536", ":1e3", "host:port", "a_b:5000", "[::1:5000", "::1:5000",
      "[1.2.3.4]:5000", "-bad.example:5000", "300.1.1.1.1:5000 x"})
  void refusesEverythingElse(String text) {
    assertThatThrownBy(() -> ListenAddress.parse(text)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'");
  }
}
