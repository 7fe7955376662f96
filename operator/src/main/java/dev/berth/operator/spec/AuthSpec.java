package dev.berth.operator.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** Who may use the registry. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!has(self.mode) || self.mode == 'None' || has(self.htpasswdSecret) || (has(self.users) && size(self.users) > 0)",
    message = "auth.mode Htpasswd and Token need credentials: auth.htpasswdSecret or auth.users")
@ValidationRule(
    value = "!has(self.htpasswdSecret) || !has(self.users) || size(self.users) == 0",
    message = "auth: set either htpasswdSecret or users, not both")
@ValidationRule(
    value = "!has(self.anonymous) || self.anonymous.all(r, r.actions.all(a, a == 'pull'))",
    message = "auth.anonymous rules may only allow pull")
public class AuthSpec {

  @JsonPropertyDescription("None (default): no authentication. Htpasswd: HTTP Basic. Token: the Docker token protocol"
      + " (docker, podman, skopeo, containerd log in with Basic credentials and get short-lived scoped tokens).")
  @Default("None")
  private AuthMode mode = AuthMode.None;

  @JsonPropertyDescription("A Secret in the Registry's namespace whose key htpasswd holds bcrypt entries"
      + " (htpasswd -B); mounted as it is, so edits reach the server without a restart.")
  @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
  private String htpasswdSecret;

  @JsonPropertyDescription("Users whose passwords are in Secrets; the operator renders their bcrypt htpasswd file"
      + " into the Secret <name>-auth.")
  @Size(max = 256)
  private List<UserSpec> users;

  @JsonPropertyDescription("Repositories anyone may pull without credentials (the server's rules for account"
      + " anonymous); only pull may be granted. Signed-in users keep their own rules.")
  @Size(max = 256)
  private List<AccessRuleSpec> anonymous;

  @JsonPropertyDescription("Allow pulls of every repository without credentials: shorthand for anonymous"
      + " [{repository: '*', actions: [pull]}].")
  @Default("false")
  private Boolean anonymousPull = false;

  public AuthMode getMode() {
    return mode;
  }

  public void setMode(AuthMode mode) {
    this.mode = mode;
  }

  public String getHtpasswdSecret() {
    return htpasswdSecret;
  }

  public void setHtpasswdSecret(String htpasswdSecret) {
    this.htpasswdSecret = htpasswdSecret;
  }

  public List<UserSpec> getUsers() {
    return users;
  }

  public void setUsers(List<UserSpec> users) {
    this.users = users;
  }

  public List<AccessRuleSpec> getAnonymous() {
    return anonymous;
  }

  public void setAnonymous(List<AccessRuleSpec> anonymous) {
    this.anonymous = anonymous;
  }

  public List<AccessRuleSpec> anonymousOrEmpty() {
    return anonymous == null ? List.of() : anonymous;
  }

  public Boolean getAnonymousPull() {
    return anonymousPull;
  }

  public void setAnonymousPull(Boolean anonymousPull) {
    this.anonymousPull = anonymousPull;
  }

  public AuthMode modeOrDefault() {
    return mode == null ? AuthMode.None : mode;
  }

  public boolean enabled() {
    return modeOrDefault() != AuthMode.None;
  }

  public List<UserSpec> usersOrEmpty() {
    return users == null ? List.of() : users;
  }

  public boolean anonymousPullOrDefault() {
    return Boolean.TRUE.equals(anonymousPull);
  }
}
