package dev.berth.operator;

import dev.berth.operator.config.BuildInfo;
import dev.berth.operator.config.OperatorSettings;
import dev.berth.operator.nodeagent.NodeAgentCommand;
import dev.berth.operator.metrics.OperatorMetrics;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * Runs the operator: in cluster with its ServiceAccount, or out of cluster ({@code java -jar operator.jar}) with the
 * current kubeconfig context. Settings come from environment variables (see {@link OperatorSettings}).
 */
public final class Main {
  private static final Logger LOG = LoggerFactory.getLogger(Main.class);
  /** The first argument that runs the node agent instead of the operator. */
  public static final String NODE_AGENT = "node-agent";

  private Main() {}

  /** Runs {@code node-agent} with the arguments after it; returns the exit code (2 for a usage error). */
  static int nodeAgent(String[] args) {
    return new CommandLine(new NodeAgentCommand()).execute(args);
  }

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals(NODE_AGENT)) {
      // the node agent DaemonSet runs this image with "node-agent ..." (docs/node-access.md)
      System.exit(nodeAgent(Arrays.copyOfRange(args, 1, args.length)));
    }
    if (args.length > 0) {
      System.err.println("berth operator takes no arguments (or \"" + NODE_AGENT + " ...\" to run the node agent);"
          + " configure it with BERTH_* environment variables (see docs/operator.md)");
      System.exit(2);
    }
    BuildInfo build = BuildInfo.load();
    OperatorSettings settings;
    try {
      settings = OperatorSettings.fromEnvironment(System.getenv(), build);
    } catch (IllegalArgumentException e) {
      System.err.println("berth operator: " + e.getMessage());
      System.exit(2);
      return;
    }
    KubernetesClient client = new KubernetesClientBuilder().build();
    LOG.info("berth operator {} against {} (registry image {}, namespaces {})", build.version(),
        client.getMasterUrl(), settings.registryImage(),
        settings.namespaces().isEmpty() ? "all" : settings.namespaces());
    // recorded only where they can be read: on the health port
    OperatorMetrics metrics = settings.health().isPresent() ? new OperatorMetrics() : null;
    Operator operator = BerthOperator.create(client, settings, Clock.systemUTC(), true,
        metrics == null ? Metrics.NOOP : metrics);
    operator.installShutdownHook(Duration.ofSeconds(10));
    operator.start();
    if (settings.health().isPresent()) {
      HealthEndpoints health = HealthEndpoints.start(settings.health().get(), operator.getRuntimeInfo(), metrics);
      Runtime.getRuntime().addShutdownHook(new Thread(health::close, "health-endpoints-stop"));
      LOG.info("probe endpoints on port {}", health.port());
    }
  }
}
