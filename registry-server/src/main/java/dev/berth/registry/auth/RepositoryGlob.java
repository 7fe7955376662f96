package dev.berth.registry.auth;

import java.util.regex.Pattern;

/**
 * A repository-name pattern from an access rule: {@code *} matches any run of characters, slashes included (so
 * {@code team-a/*} covers {@code team-a/app} and {@code team-a/tools/ci}), {@code ?} one character other than a slash.
 */
public record RepositoryGlob(String pattern, Pattern regex) {
  private static final Pattern ALLOWED = Pattern.compile("[a-z0-9._/*?-]+");

  public static RepositoryGlob parse(String pattern) {
    if (pattern == null || !ALLOWED.matcher(pattern).matches()) {
      throw new IllegalArgumentException("auth.access: repository pattern '" + pattern
          + "' must be a lowercase repository name with * or ? wildcards");
    }
    StringBuilder regex = new StringBuilder();
    for (char c : pattern.toCharArray()) {
      switch (c) {
        case '*' -> regex.append(".*");
        case '?' -> regex.append("[^/]");
        default -> regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return new RepositoryGlob(pattern, Pattern.compile(regex.toString()));
  }

  public boolean matches(String repository) {
    return regex.matcher(repository).matches();
  }

  /** Whether the pattern covers every repository name ({@code *}). */
  public boolean matchesEverything() {
    return pattern.chars().allMatch(c -> c == '*');
  }
}
