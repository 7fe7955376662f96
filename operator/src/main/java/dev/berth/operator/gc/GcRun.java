package dev.berth.operator.gc;

import java.util.Optional;

/**
 * The newest finished collection Job of a Registry and what its pod reported.
 *
 * @param job the Job's name
 * @param succeeded whether the Job completed (the command exited 0)
 * @param report the termination message: the command's JSON report, when it wrote one
 * @param failure the Job's failure reason, when it failed
 */
public record GcRun(String job, boolean succeeded, Optional<String> report, Optional<String> failure) {}
