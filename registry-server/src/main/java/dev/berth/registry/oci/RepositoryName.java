package dev.berth.registry.oci;

import java.util.regex.Pattern;

/**
 * A validated repository name ({@code team-a/app}). Every name that reaches a file path or object key goes through
 * {@link #parse}, so {@code ..}, uppercase and empty components are refused with NAME_INVALID.
 */
public record RepositoryName(String value) {
  private static final int MAX_LENGTH = 255;
  private static final Pattern COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*");

  public RepositoryName {
    if (value == null || value.isEmpty() || value.length() > MAX_LENGTH) {
      throw new RegistryException(ErrorCode.NAME_INVALID, "invalid repository name: length must be 1.." + MAX_LENGTH, value);
    }
    for (String component : value.split("/", -1)) {
      if (!COMPONENT.matcher(component).matches()) {
        throw new RegistryException(ErrorCode.NAME_INVALID, "invalid repository name component '" + component + "'", value);
      }
    }
  }

  public static RepositoryName parse(String value) {
    return new RepositoryName(value);
  }

  @Override
  public String toString() {
    return value;
  }
}
