package dev.berth.operator.plan;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.operator.spec.RegistrySpec;
import dev.berth.operator.spec.UiSpec;
import dev.berth.registry.config.ConfigDefaults;
import dev.berth.registry.config.ConfigLoader;
import dev.berth.registry.config.RegistryConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** spec.ui.enabled, rendered as ui.enabled and read back by the real server's config loader. */
class UiRenderTest {
  @TempDir Path temp;

  private static RegistrySpec withUi(Boolean enabled) {
    RegistrySpec spec = new RegistrySpec();
    UiSpec ui = new UiSpec();
    ui.setEnabled(enabled);
    spec.setUi(ui);
    return spec;
  }

  private RegistryConfig.Ui serverReads(RegistrySpec spec) throws Exception {
    Path file = temp.resolve("config.yaml");
    Files.writeString(file, ServerConfigRenderer.render(spec));
    return new ConfigLoader(Map.of(), ConfigDefaults.container()).load(file, List.of()).config().ui();
  }

  @Test
  void enabledRendersUiEnabledAndTheServerServesTheUi() throws Exception {
    JsonNode config = ServerConfigRendererTest.YAML.readTree(ServerConfigRenderer.render(withUi(true)));
    assertThat(config.at("/ui/enabled").isBoolean()).isTrue();
    assertThat(config.at("/ui/enabled").asBoolean()).isTrue();
    assertThat(serverReads(withUi(true)).enabled()).isTrue();
  }

  @Test
  void offUnsetOrAbsentRendersNoUiKeyAndTheServerKeepsItOff() throws Exception {
    for (RegistrySpec spec : List.of(new RegistrySpec(), withUi(false), withUi(null))) {
      JsonNode config = ServerConfigRendererTest.YAML.readTree(ServerConfigRenderer.render(spec));
      assertThat(config.has("ui")).as("the server's own default is off").isFalse();
      assertThat(serverReads(spec).enabled()).isFalse();
    }
    assertThat(new UiSpec().enabledOrDefault()).isFalse();
  }

  @Test
  void turningTheUiOnChangesTheConfigHashSoThePodsRoll() {
    assertThat(ServerConfigRenderer.hash(ServerConfigRenderer.render(withUi(true))))
        .isNotEqualTo(ServerConfigRenderer.hash(ServerConfigRenderer.render(new RegistrySpec())));
  }
}
