package dev.berth.registry.auth;

import java.util.function.BiPredicate;

/**
 * A caller as a listing filtered per repository sees them (the web UI's API under {@code /v2/_berth/}): who they
 * are and, for any repository, whether the same rules the v2 API applies let them pull, push or delete there.
 */
public sealed interface CallerAccess {

  /** Signed in (or anonymous, where the rules admit requests without credentials). */
  record Known(String subject, BiPredicate<String, String> allows) implements CallerAccess {
    /** Whether the caller may perform {@code action} (pull, push, delete) on {@code repository}. */
    public boolean may(String repository, String action) {
      return allows.test(repository, action);
    }

    public boolean mayPull(String repository) {
      return may(repository, AccessRules.PULL);
    }
  }

  /** Bad credentials (or none where nothing is anonymous): answer as the v2 API would refuse its base check. */
  record Refused(AuthDecision.Refused refusal) implements CallerAccess {}
}
