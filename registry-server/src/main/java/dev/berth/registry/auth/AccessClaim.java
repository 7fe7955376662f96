package dev.berth.registry.auth;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** The token's {@code access} claim, {@code [{"type","name","actions":[...]}]}, to and from {@link Scope}s. */
final class AccessClaim {
  private AccessClaim() {}

  static List<Map<String, Object>> toClaim(List<Scope> access) {
    List<Map<String, Object>> claim = new ArrayList<>();
    for (Scope scope : access) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("type", scope.type());
      entry.put("name", scope.name());
      entry.put("actions", List.copyOf(new TreeSet<>(scope.actions())));
      claim.add(entry);
    }
    return claim;
  }

  static List<Scope> fromClaim(Object claim) throws InvalidTokenException {
    if (claim == null) {
      return List.of();
    }
    if (!(claim instanceof List<?> entries)) {
      throw new InvalidTokenException("access claim is not a list");
    }
    List<Scope> access = new ArrayList<>();
    for (Object entry : entries) {
      if (!(entry instanceof Map<?, ?> map) || !(map.get("type") instanceof String type)
          || !(map.get("name") instanceof String name) || !(map.get("actions") instanceof List<?> actions)) {
        throw new InvalidTokenException("access claim entry is not {type, name, actions}");
      }
      Set<String> actionSet = new TreeSet<>();
      for (Object action : actions) {
        if (!(action instanceof String text)) {
          throw new InvalidTokenException("access claim action is not a string");
        }
        actionSet.add(text);
      }
      access.add(new Scope(type, name, actionSet));
    }
    return List.copyOf(access);
  }
}
