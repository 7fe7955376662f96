package dev.berth.registry.oci;

import java.util.regex.Pattern;

/** A validated tag: {@code [a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}}. */
public record Tag(String value) {
  private static final Pattern TAG = Pattern.compile("[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}");

  public Tag {
    if (value == null || !TAG.matcher(value).matches()) {
      throw new RegistryException(ErrorCode.TAG_INVALID, "invalid tag: " + value);
    }
  }

  public static Tag parse(String value) {
    return new Tag(value);
  }

  @Override
  public String toString() {
    return value;
  }
}
