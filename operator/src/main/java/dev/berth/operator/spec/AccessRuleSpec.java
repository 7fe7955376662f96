package dev.berth.operator.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** Actions allowed on repositories matching a glob. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AccessRuleSpec {

  @JsonPropertyDescription("Glob on repository names, e.g. team-a/* or *.")
  @Required
  private String repository;

  @JsonPropertyDescription("Allowed actions: pull, push, delete.")
  @Required
  @Size(min = 1, max = 3)
  private List<RegistryAction> actions;

  public String getRepository() {
    return repository;
  }

  public void setRepository(String repository) {
    this.repository = repository;
  }

  public List<RegistryAction> getActions() {
    return actions;
  }

  public void setActions(List<RegistryAction> actions) {
    this.actions = actions;
  }
}
