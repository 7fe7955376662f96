package dev.berth.registry.gc;

import dev.berth.registry.config.RegistryConfig;
import java.time.Duration;

/**
 * One collection's settings.
 *
 * @param gracePeriod    nothing written more recently than this is deleted: a blob uploaded for a manifest not yet
 *                       pushed, a link, an untagged manifest (default 1h, as zot's gcDelay)
 * @param deleteUntagged also delete manifests no tag reaches (index children and referrers of live manifests stay)
 * @param dryRun         report what would be deleted, delete nothing
 * @param uploadMaxAge   upload sessions without a write for this long are removed (default 24h)
 * @param retention      opt-in tag retention policies ({@link RegistryConfig.Retention#NONE}: keep every tag)
 */
public record GcOptions(Duration gracePeriod, boolean deleteUntagged, boolean dryRun, Duration uploadMaxAge,
    RegistryConfig.Retention retention) {
  public static final Duration DEFAULT_GRACE = Duration.ofHours(1);
  public static final Duration DEFAULT_UPLOAD_MAX_AGE = Duration.ofHours(24);

  public GcOptions {
    if (gracePeriod.isNegative() || uploadMaxAge.isNegative()) {
      throw new IllegalArgumentException("durations must not be negative");
    }
  }

  /** The options of the config's {@code gc} section. */
  public static GcOptions of(RegistryConfig.Gc gc) {
    return new GcOptions(gc.gracePeriod(), gc.deleteUntagged(), gc.dryRun(), gc.uploadMaxAge(), gc.retention());
  }

  public static GcOptions defaults() {
    return new GcOptions(DEFAULT_GRACE, false, false, DEFAULT_UPLOAD_MAX_AGE, RegistryConfig.Retention.NONE);
  }

  public GcOptions withGracePeriod(Duration grace) {
    return new GcOptions(grace, deleteUntagged, dryRun, uploadMaxAge, retention);
  }

  public GcOptions withDeleteUntagged(boolean delete) {
    return new GcOptions(gracePeriod, delete, dryRun, uploadMaxAge, retention);
  }

  public GcOptions withRetention(RegistryConfig.Retention newRetention) {
    return new GcOptions(gracePeriod, deleteUntagged, dryRun, uploadMaxAge, newRetention);
  }

  public GcOptions withDryRun(boolean dry) {
    return new GcOptions(gracePeriod, deleteUntagged, dry, uploadMaxAge, retention);
  }
}
