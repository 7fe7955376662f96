package dev.berth.operator.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Arrays;

/** containerd options of node access. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "(!has(self.configToml) || !self.configToml.matches('(^|/)[.][.](/|$)'))"
        + " && (!has(self.configPath) || !self.configPath.matches('(^|/)[.][.](/|$)'))",
    message = "containerd.configToml and containerd.configPath must not contain '..'",
    reason = "FieldValueInvalid")
public class ContainerdAccessSpec {
  public static final String DEFAULT_CONFIG_TOML = "/etc/containerd/config.toml";
  public static final String DEFAULT_CONFIG_PATH = "/etc/containerd/certs.d";
  /** An absolute host file path below a directory other than / (':' would make containerd read a list). */
  static final String HOST_FILE = "^/[^:]*[^/:]/[^/:]+$";
  /** An absolute host directory other than /. */
  static final String HOST_DIR = "^/[^/:][^:]*$";

  @JsonPropertyDescription("Opt-in: when containerd's config_path is not set, set it to configPath in configToml."
      + " containerd reads config.toml only at start: the node reports restart-pending until containerd restarts."
      + " Default false (the node reports how to set config_path instead).")
  @Default("false")
  private Boolean patchConfigToml = false;

  @JsonPropertyDescription("Host path of containerd's config file. Default /etc/containerd/config.toml.")
  @Pattern(HOST_FILE)
  private String configToml;

  @JsonPropertyDescription("Host directory of hosts.toml files to set as config_path when patching; mounted into the"
      + " agent. Default /etc/containerd/certs.d.")
  @Pattern(HOST_DIR)
  private String configPath;

  public Boolean getPatchConfigToml() {
    return patchConfigToml;
  }

  public void setPatchConfigToml(Boolean patchConfigToml) {
    this.patchConfigToml = patchConfigToml;
  }

  public String getConfigToml() {
    return configToml;
  }

  public void setConfigToml(String configToml) {
    this.configToml = configToml;
  }

  public String getConfigPath() {
    return configPath;
  }

  public void setConfigPath(String configPath) {
    this.configPath = configPath;
  }

  /** True when a path climbs out with '..' (the agent's mounts must be exactly the directories named). */
  public static boolean climbs(String path) {
    return path != null && Arrays.asList(path.split("/")).contains("..");
  }

  public boolean patchConfigTomlOrDefault() {
    return Boolean.TRUE.equals(patchConfigToml);
  }

  public String configTomlOrDefault() {
    return configToml == null || configToml.isBlank() ? DEFAULT_CONFIG_TOML : configToml;
  }

  public String configPathOrDefault() {
    return configPath == null || configPath.isBlank() ? DEFAULT_CONFIG_PATH : configPath;
  }
}
