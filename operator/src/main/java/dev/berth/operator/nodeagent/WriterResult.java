package dev.berth.operator.nodeagent;

/** What a runtime writer did: the report for this pass and the footprint to persist for the next. */
public record WriterResult(RuntimeReport report, RuntimeFootprint footprint) {}
