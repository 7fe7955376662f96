package dev.berth.operator.plan;

import static dev.berth.operator.OperatorTestSupport.registry;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.berth.operator.spec.Registry;
import dev.berth.operator.spec.RegistrySpec;
import dev.berth.operator.spec.StorageSpec;
import dev.berth.operator.spec.TlsMode;
import dev.berth.operator.spec.TlsSpec;
import dev.berth.registry.testsupport.Promtool;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The alerts run by Prometheus' own rule engine ({@code promtool test rules}): each fires on the series of its
 * Registry as docs/day-two.md says, with its labels and rendered annotations, and none fires on another Registry's.
 */
class AlertRulesTest {
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  static final String JOB = "job=\"r-headless\",namespace=\"ns\"";
  static final Map<String, String> SCOPE = Map.of("job", "r-headless", "namespace", "ns");

  @TempDir Path tmp;

  @Test
  void eachAlertFiresOnItsRegistrysSeriesOnly() throws Exception {
    RegistrySpec spec = new RegistrySpec();
    TlsSpec tls = new TlsSpec();
    tls.setMode(TlsMode.SelfSigned);
    spec.setTls(tls);
    List<Map<String, Object>> groups = AlertRules.groups(registry("ns", "r", spec));
    String rules = YAML.writeValueAsString(Map.of("groups", groups));
    String other = "job=\"other-headless\",namespace=\"ns\"";

    List<Map<String, String>> series = List.of(
        series("up{" + JOB + ",pod=\"r-0\"}", "0x90"),
        series("registry_http_requests_total{" + JOB + ",pod=\"r-1\",code=\"500\"}", "0+10x90"),
        series("registry_http_requests_total{" + JOB + ",pod=\"r-1\",code=\"200\"}", "0+90x90"),
        series("registry_storage_action_seconds_bucket{" + JOB + ",pod=\"r-1\",action=\"Stat\",le=\"2.5\"}",
            "0x90"),
        series("registry_storage_action_seconds_bucket{" + JOB + ",pod=\"r-1\",action=\"Stat\",le=\"+Inf\"}",
            "0+10x90"),
        series("registry_storage_action_errors_total{" + JOB + ",pod=\"r-1\",action=\"PutContent\"}", "0+30x90"),
        series("kubelet_volume_stats_available_bytes{namespace=\"ns\",persistentvolumeclaim=\"data-r-0\"}", "5x90"),
        series("kubelet_volume_stats_capacity_bytes{namespace=\"ns\",persistentvolumeclaim=\"data-r-0\"}", "100x90"),
        series("registry_tls_certificate_expiry_seconds{" + JOB + ",pod=\"r-1\"}", "86400x90"),
        // another Registry in the same namespace, in every kind of trouble: none of r's alerts may fire for it
        series("up{" + other + ",pod=\"other-0\"}", "0x90"),
        series("registry_http_requests_total{" + other + ",pod=\"other-0\",code=\"500\"}", "0+100x90"),
        series("kubelet_volume_stats_available_bytes{namespace=\"ns\",persistentvolumeclaim=\"data-other-0\"}",
            "1x90"),
        series("kubelet_volume_stats_capacity_bytes{namespace=\"ns\",persistentvolumeclaim=\"data-other-0\"}",
            "100x90"),
        series("registry_tls_certificate_expiry_seconds{" + other + ",pod=\"other-0\"}", "60x90"),
        series("registry_storage_action_errors_total{" + other + ",pod=\"other-0\",action=\"Stat\"}", "0+60x90"));

    List<Map<String, Object>> expected = List.of(
        expect(groups, AlertRules.REGISTRY_DOWN, labels("critical", SCOPE), Map.of()),
        expect(groups, AlertRules.REPLICA_DOWN, labels("warning", SCOPE, "pod", "r-0"),
            Map.of("{{ $labels.pod }}", "r-0")),
        expect(groups, AlertRules.ERROR_RATIO, labels("critical", SCOPE),
            Map.of("{{ $value | humanizePercentage }}", "10%")),
        expect(groups, AlertRules.STORAGE_SLOW, labels("warning", SCOPE, "action", "Stat"),
            Map.of("{{ $labels.action }}", "Stat", "{{ $value }}", "2.5")),
        expect(groups, AlertRules.STORAGE_ERRORS, labels("critical", SCOPE, "action", "PutContent"),
            Map.of("{{ $labels.action }}", "PutContent", "{{ $value }}", "0.5")),
        expect(groups, AlertRules.VOLUME_FILLING,
            labels("warning", Map.of("namespace", "ns"), "persistentvolumeclaim", "data-r-0"),
            Map.of("{{ $labels.persistentvolumeclaim }}", "data-r-0", "{{ $value | humanizePercentage }}", "5%")),
        expect(groups, AlertRules.CERTIFICATE_EXPIRING, labels("warning", SCOPE, "pod", "r-1"),
            Map.of("{{ $labels.pod }}", "r-1", "{{ $value | humanizeDuration }}", "1d 0h 0m 0s")));

    // with no target at all (r's pods gone from discovery) the absent() half reports r as down
    Map<String, Object> noTarget = new LinkedHashMap<>();
    noTarget.put("interval", "1m");
    noTarget.put("input_series", List.of(series("up{" + other + ",pod=\"other-0\"}", "1x30")));
    noTarget.put("alert_rule_test", List.of(
        expect(groups, AlertRules.REGISTRY_DOWN, labels("critical", SCOPE), Map.of(), "20m")));

    Map<String, Object> trouble = new LinkedHashMap<>();
    trouble.put("interval", "1m");
    trouble.put("input_series", series);
    trouble.put("alert_rule_test", expected);
    Map<String, Object> tests = new LinkedHashMap<>();
    tests.put("rule_files", List.of("rules.yaml"));
    tests.put("evaluation_interval", "1m");
    tests.put("tests", List.of(trouble, noTarget));

    var result = Promtool.require().testRules(rules, YAML.writeValueAsString(tests), tmp);
    result.assertSuccess();
    assertThat(result.stdout()).contains("SUCCESS");
  }

  @Test
  void storageWithoutClaimsHasNoVolumeAlertAndPlainHttpNoCertificateAlert() throws Exception {
    RegistrySpec spec = new RegistrySpec();
    StorageSpec storage = new StorageSpec();
    storage.setEmptyDir(new dev.berth.operator.spec.EmptyDirStorage());
    spec.setStorage(storage);
    List<Map<String, Object>> groups = AlertRules.groups(registry("ns", "r", spec));
    assertThat(alertNames(groups)).containsExactly(AlertRules.REGISTRY_DOWN, AlertRules.REPLICA_DOWN,
        AlertRules.ERROR_RATIO, AlertRules.STORAGE_SLOW, AlertRules.STORAGE_ERRORS);
    Promtool.require().checkRules(YAML.writeValueAsString(Map.of("groups", groups)), tmp).assertSuccess();
  }

  @SuppressWarnings("unchecked")
  private static List<String> alertNames(List<Map<String, Object>> groups) {
    return ((List<Map<String, Object>>) groups.get(0).get("rules")).stream()
        .map(r -> (String) r.get("alert")).toList();
  }

  private static Map<String, String> series(String name, String values) {
    return Map.of("series", name, "values", values);
  }

  private static Map<String, String> labels(String severity, Map<String, String> scope, String... more) {
    Map<String, String> labels = new LinkedHashMap<>(scope);
    labels.put("severity", severity);
    for (int i = 0; i < more.length; i += 2) {
      labels.put(more[i], more[i + 1]);
    }
    return labels;
  }

  private static Map<String, Object> expect(List<Map<String, Object>> groups, String alert,
      Map<String, String> labels, Map<String, String> rendered) {
    return expect(groups, alert, labels, rendered, "70m");
  }

  /** The alert at {@code at}, with the rule's annotations as Prometheus renders them ({@code rendered}: templates). */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> expect(List<Map<String, Object>> groups, String alert,
      Map<String, String> labels, Map<String, String> rendered, String at) {
    Map<String, Object> rule = ((List<Map<String, Object>>) groups.get(0).get("rules")).stream()
        .filter(r -> alert.equals(r.get("alert"))).findFirst().orElseThrow();
    Map<String, String> annotations = new LinkedHashMap<>();
    ((Map<String, String>) rule.get("annotations")).forEach((key, text) -> {
      String out = text;
      for (var e : rendered.entrySet()) {
        out = out.replace(e.getKey(), e.getValue());
      }
      assertThat(out).as(alert + " " + key + ": every template is expected").doesNotContain("{{");
      annotations.put(key, out);
    });
    Map<String, Object> test = new LinkedHashMap<>();
    test.put("eval_time", at);
    test.put("alertname", alert);
    test.put("exp_alerts", List.of(Map.of("exp_labels", labels, "exp_annotations", annotations)));
    return test;
  }
}
