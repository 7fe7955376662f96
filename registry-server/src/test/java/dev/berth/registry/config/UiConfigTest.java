package dev.berth.registry.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ui.enabled}: off by default, on from the file or {@code REGISTRY_UI_ENABLED}, a bad value names the key. */
class UiConfigTest {
  @TempDir Path tmp;

  RegistryConfig.Ui load(String yaml, Map<String, String> env) {
    return new ConfigFixture(tmp).load(yaml, env).config().ui();
  }

  @Test
  void offByDefault() {
    assertThat(load("version: 0.1\n", Map.of())).isEqualTo(RegistryConfig.Ui.DISABLED);
    assertThat(RegistryConfig.Ui.DISABLED.enabled()).isFalse();
  }

  @Test
  void onFromTheFile() {
    assertThat(load("ui:\n  enabled: true\n", Map.of()).enabled()).isTrue();
  }

  @Test
  void theEnvironmentOverridesTheFile() {
    assertThat(load("ui:\n  enabled: false\n", Map.of("REGISTRY_UI_ENABLED", "true")).enabled()).isTrue();
    assertThat(load("ui:\n  enabled: true\n", Map.of("REGISTRY_UI_ENABLED", "false")).enabled()).isFalse();
  }

  @Test
  void badValuesNameTheKey() {
    assertThatThrownBy(() -> load("ui:\n  enabled: sometimes\n", Map.of())).hasMessageContaining("ui.enabled");
    assertThatThrownBy(() -> load("ui:\n  theme: dark\n", Map.of())).hasMessageContaining("ui.theme");
  }
}
