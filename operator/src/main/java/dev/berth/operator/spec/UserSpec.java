package dev.berth.operator.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import java.util.List;

/** A registry user, its password's Secret and what it may do. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class UserSpec {

  @JsonPropertyDescription("User name, as clients log in with it.")
  @Required
  @Pattern("^[A-Za-z0-9._@-]{1,64}$")
  private String name;

  @JsonPropertyDescription("Where the user's password is: a key of a Secret in the Registry's namespace.")
  @Required
  private SecretKeyRef passwordSecret;

  @JsonPropertyDescription("What the user may do; empty: everything. Each rule allows actions on repositories whose"
      + " names match a glob such as team-a/*.")
  private List<AccessRuleSpec> access;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public SecretKeyRef getPasswordSecret() {
    return passwordSecret;
  }

  public void setPasswordSecret(SecretKeyRef passwordSecret) {
    this.passwordSecret = passwordSecret;
  }

  public List<AccessRuleSpec> getAccess() {
    return access;
  }

  public void setAccess(List<AccessRuleSpec> access) {
    this.access = access;
  }

  public List<AccessRuleSpec> accessOrEmpty() {
    return access == null ? List.of() : access;
  }
}
