package dev.berth.registry.gc;

import dev.berth.registry.auth.RepositoryGlob;
import dev.berth.registry.config.RegistryConfig;
import dev.berth.registry.oci.Digest;
import dev.berth.registry.oci.RepositoryName;
import dev.berth.registry.oci.Tag;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Retention as zot shapes it: the first policy whose repository glob matches applies; with keep rules, a tag no rule
 * keeps is dropped (rules are OR'ed). Pure: the collector gives the tags with their push and pull times and deletes
 * what this returns, through the fence, after the grace period.
 */
final class RetentionRules {
  /** A tag and what retention needs to know of it. */
  record TagInfo(Tag tag, Digest digest, Optional<Instant> pushed, Optional<Instant> pulled) {}

  private final RegistryConfig.Retention retention;

  RetentionRules(RegistryConfig.Retention retention) {
    this.retention = retention;
  }

  Optional<RegistryConfig.RetentionPolicy> policyFor(RepositoryName repo) {
    return retention.policies().stream()
        .filter(policy -> policy.repositories().stream().anyMatch(glob -> RepositoryGlob.parse(glob).matches(repo.value())))
        .findFirst();
  }

  /** The tags {@code policy} does not keep at {@code now}. */
  static List<TagInfo> dropped(RegistryConfig.RetentionPolicy policy, List<TagInfo> tags, Instant now) {
    if (policy.keepTags().isEmpty()) {
      return List.of();
    }
    Set<Tag> kept = new HashSet<>();
    for (RegistryConfig.KeepTags rule : policy.keepTags()) {
      List<TagInfo> candidates = tags.stream().filter(tag -> matches(rule, tag.tag())).toList();
      boolean criteria = rule.mostRecentlyPushedCount() != null || rule.pushedWithin() != null
          || rule.pulledWithin() != null;
      if (!criteria) {
        candidates.forEach(tag -> kept.add(tag.tag()));
        continue;
      }
      if (rule.mostRecentlyPushedCount() != null) {
        candidates.stream()
            .sorted(Comparator.comparing((TagInfo tag) -> tag.pushed().orElse(Instant.MIN)).reversed()
                .thenComparing(tag -> tag.tag().value()))
            .limit(rule.mostRecentlyPushedCount())
            .forEach(tag -> kept.add(tag.tag()));
      }
      for (TagInfo tag : candidates) {
        if (within(tag.pushed(), rule.pushedWithin() == null ? null : now.minus(rule.pushedWithin()))
            || within(tag.pulled(), rule.pulledWithin() == null ? null : now.minus(rule.pulledWithin()))) {
          kept.add(tag.tag());
        }
      }
    }
    return tags.stream().filter(tag -> !kept.contains(tag.tag())).toList();
  }

  private static boolean matches(RegistryConfig.KeepTags rule, Tag tag) {
    return rule.patterns().isEmpty()
        || rule.patterns().stream().anyMatch(pattern -> Pattern.compile(pattern).matcher(tag.value()).matches());
  }

  private static boolean within(Optional<Instant> when, Instant since) {
    return since != null && when.isPresent() && !when.get().isBefore(since);
  }
}
