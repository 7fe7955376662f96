package dev.berth.registry.gc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A report as one JSON object, with the field names of the operator's {@code status.garbageCollection}
 * (lastStart, lastCompletion, blobsDeleted, manifestsDeleted, bytesFreed, error) plus the other counts. The CLI writes
 * it to {@code --report-file} (a Job's termination message), the server keeps the last one in {@code gc/last-run.json}.
 */
public final class GcReportJson {
  /** The marker holding the last completed run's report. */
  public static final String LAST_RUN_MARKER = FenceMarkers.LAST_RUN;
  private static final ObjectMapper JSON = JsonMapper.builder().build();

  private GcReportJson() {}

  public static byte[] toJson(GcReport report) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("lastStart", report.started().toString());
    fields.put("lastCompletion", report.finished().toString());
    fields.put("dryRun", report.dryRun());
    fields.put("repositories", report.repositories());
    fields.put("manifestsMarked", report.manifestsMarked());
    fields.put("blobsMarked", report.blobsMarked());
    fields.put("manifestsDeleted", report.manifestsDeleted());
    fields.put("blobsDeleted", report.blobsDeleted());
    fields.put("layerLinksDeleted", report.layerLinksDeleted());
    fields.put("tagsDeleted", report.tagsDeleted());
    fields.put("uploadsDeleted", report.uploadsDeleted());
    fields.put("bytesFreed", report.bytesFreed());
    fields.put("spared", report.spared());
    fields.put("deferred", report.deferred());
    if (report.error() != null) {
      fields.put("error", report.error());
    }
    try {
      return JSON.writeValueAsString(fields).getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a report of strings and numbers always serialises", e);
    }
  }
}
