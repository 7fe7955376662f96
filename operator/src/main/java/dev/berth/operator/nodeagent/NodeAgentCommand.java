package dev.berth.operator.nodeagent;

import dev.berth.operator.nodeaccess.Runtime;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code operator.jar node-agent ...}: the DaemonSet's container command. Runs {@link NodeAgent} until SIGTERM and
 * publishes reports into a ConfigMap. Register it with
 * {@code new CommandLine(new NodeAgentCommand()).execute(remainingArgs)}.
 */
@Command(name = "node-agent", mixinStandardHelpOptions = true,
    description = "Configures this node's container runtimes to pull from a Berth registry by its cluster name.")
public final class NodeAgentCommand implements Callable<Integer> {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--plan-file", defaultValue = "/etc/berth/node-access/plan.json",
      description = "The mounted plan (ConfigMap key). Default: ${DEFAULT-VALUE}")
  Path planFile;

  @Option(names = "--state-dir", required = true,
      description = "This Registry's agent directory as mounted in the pod, e.g. /host/var/lib/berth/node-agent/ns_name")
  Path stateDir;

  @Option(names = "--host-root", defaultValue = "/host",
      description = "Where the host directories the agent writes are mounted. Default: ${DEFAULT-VALUE}")
  Path hostRoot;

  @Option(names = "--node-name", defaultValue = "${env:NODE_NAME}",
      description = "The node (downward API spec.nodeName). Default: $NODE_NAME")
  String nodeName;

  @Option(names = "--report-namespace", required = true, description = "Namespace of the report ConfigMap")
  String reportNamespace;

  @Option(names = "--report-configmap", required = true, description = "Name of the report ConfigMap")
  String reportConfigMap;

  @Option(names = "--poll-interval", defaultValue = "PT5S", description = "ISO-8601. Default: ${DEFAULT-VALUE}")
  Duration pollInterval;

  @Option(names = "--resync-interval", defaultValue = "PT5M", description = "ISO-8601. Default: ${DEFAULT-VALUE}")
  Duration resyncInterval;

  @Option(names = "--bind-address", defaultValue = "0.0.0.0",
      description = "Where the node-local forwarder listens when enabled. Default: ${DEFAULT-VALUE}")
  String bindAddress;

  @Override
  public Integer call() {
    NodeAgent.Settings settings;
    try {
      settings = new NodeAgent.Settings(planFile, stateDir, nodeName, pollInterval, resyncInterval, bindAddress);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    try (KubernetesClient client = new KubernetesClientBuilder().build();
        NodeAgent agent = NodeAgent.forNode(settings, new HostFs(hostRoot),
            new ConfigMapNodeReportPublisher(client, reportNamespace, reportConfigMap))) {
      Thread main = Thread.currentThread();
      java.lang.Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        agent.stop();
        try {
          main.join(Duration.ofSeconds(20).toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, "node-agent-stop"));
      agent.run();
    }
    return 0;
  }
}
