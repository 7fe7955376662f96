package dev.berth.operator.nodeaccess;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.fabric8.kubernetes.api.model.ConfigMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The report ConfigMap's format, shared by the agents that write it and the operator that reads it: one key per node,
 * {@code data.<node> = <report JSON>}.
 */
public final class NodeReports {
  public static final ObjectMapper JSON = JsonMapper.builder()
      .addModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .build();

  private NodeReports() {}

  /** Every node's report; an unreadable entry (another agent version, a hand edit) is skipped, not fatal. */
  public static Map<String, NodeReport> read(ConfigMap configMap) {
    Map<String, NodeReport> reports = new TreeMap<>();
    if (configMap != null && configMap.getData() != null) {
      configMap.getData().forEach((node, json) -> {
        try {
          reports.put(node, JSON.readValue(json, NodeReport.class));
        } catch (JsonProcessingException e) {
          // skipped: see above
        }
      });
    }
    return reports;
  }

  public static String toJson(NodeReport report) {
    try {
      return JSON.writeValueAsString(report);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a report always serialises", e);
    }
  }
}
