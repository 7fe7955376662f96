package dev.berth.operator;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Plays the kubelet for one container of a StatefulSet: lays its ConfigMap, Secret and scratch volumes out under a
 * root directory the way the pod would see them, with every mount path moved under that root. Mount paths in the
 * container's args, env values and mounted text files are rewritten the same way, so the program finds what it would
 * find in the pod. Env from a Secret's key is resolved as the kubelet does.
 *
 * @param root the directory standing for the container's file system root
 * @param args the container's args with mount paths rewritten
 * @param env the container's env with mount paths rewritten
 */
public record PodMaterializer(Path root, List<String> args, Map<String, String> env) {

  public static PodMaterializer materialize(KubernetesClient client, StatefulSet sts, String container, Path root)
      throws IOException {
    var pod = sts.getSpec().getTemplate().getSpec();
    String namespace = sts.getMetadata().getNamespace();
    Container c = pod.getContainers().stream()
        .filter(x -> x.getName().equals(container))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no container " + container));
    Map<String, Volume> volumes = new LinkedHashMap<>();
    for (Volume v : pod.getVolumes() == null ? List.<Volume>of() : pod.getVolumes()) {
      volumes.put(v.getName(), v);
    }
    List<String> templates = sts.getSpec().getVolumeClaimTemplates() == null
        ? List.of()
        : sts.getSpec().getVolumeClaimTemplates().stream().map(t -> t.getMetadata().getName()).toList();
    // longest mount paths first, so /etc/berth/tls is rewritten before /etc/berth would be
    List<String> mountPaths = new ArrayList<>(c.getVolumeMounts().stream().map(VolumeMount::getMountPath).toList());
    mountPaths.sort(Comparator.comparingInt(String::length).reversed());

    List<Path> textFiles = new ArrayList<>();
    for (VolumeMount mount : c.getVolumeMounts()) {
      Path target = under(root, mount.getMountPath());
      Volume volume = volumes.get(mount.getName());
      if (volume == null) {
        if (!templates.contains(mount.getName())) {
          throw new AssertionError("mount " + mount.getName() + " names no volume and no claim template");
        }
        Files.createDirectories(target); // a claim's volume: an empty directory
      } else if (volume.getConfigMap() != null) {
        ConfigMap cm = client.configMaps().inNamespace(namespace).withName(volume.getConfigMap().getName()).get();
        if (cm == null) {
          throw new AssertionError("ConfigMap " + volume.getConfigMap().getName() + " is missing");
        }
        Map<String, byte[]> files = new LinkedHashMap<>();
        cm.getData().forEach((k, v) -> files.put(k, v.getBytes(StandardCharsets.UTF_8)));
        textFiles.addAll(writeVolume(files, volume.getConfigMap().getItems(), mount, target));
      } else if (volume.getSecret() != null) {
        Secret secret = client.secrets().inNamespace(namespace).withName(volume.getSecret().getSecretName()).get();
        if (secret == null) {
          throw new AssertionError("Secret " + volume.getSecret().getSecretName() + " is missing");
        }
        Map<String, byte[]> files = new LinkedHashMap<>();
        secret.getData().forEach((k, v) -> files.put(k, Base64.getDecoder().decode(v)));
        textFiles.addAll(writeVolume(files, volume.getSecret().getItems(), mount, target));
      } else if (volume.getProjected() != null) {
        for (var source : volume.getProjected().getSources()) {
          if (source.getSecret() == null) {
            throw new AssertionError("only Secret projections are supported here, in " + volume.getName());
          }
          Secret secret = client.secrets().inNamespace(namespace).withName(source.getSecret().getName()).get();
          if (secret == null) {
            throw new AssertionError("Secret " + source.getSecret().getName() + " is missing");
          }
          Map<String, byte[]> files = new LinkedHashMap<>();
          secret.getData().forEach((k, v) -> files.put(k, Base64.getDecoder().decode(v)));
          textFiles.addAll(writeVolume(files, source.getSecret().getItems(), mount, target));
        }
      } else if (volume.getEmptyDir() != null || volume.getPersistentVolumeClaim() != null) {
        if (volume.getPersistentVolumeClaim() != null) {
          PersistentVolumeClaim claim = client.persistentVolumeClaims().inNamespace(namespace)
              .withName(volume.getPersistentVolumeClaim().getClaimName()).get();
          if (claim == null) {
            throw new AssertionError("claim " + volume.getPersistentVolumeClaim().getClaimName() + " is missing");
          }
        }
        Files.createDirectories(target);
      } else {
        throw new AssertionError("volume kind of " + volume.getName() + " is not supported here");
      }
    }
    for (Path file : textFiles) {
      String text = Files.readString(file);
      Files.writeString(file, rewrite(text, mountPaths, root));
    }
    List<String> args = new ArrayList<>();
    for (String arg : c.getArgs() == null ? List.<String>of() : c.getArgs()) {
      args.add(rewrite(arg, mountPaths, root));
    }
    Map<String, String> env = new LinkedHashMap<>();
    for (EnvVar var : c.getEnv() == null ? List.<EnvVar>of() : c.getEnv()) {
      if (var.getValueFrom() != null) {
        env.put(var.getName(), secretKeyValue(client, namespace, var));
        continue;
      }
      env.put(var.getName(), rewrite(var.getValue(), mountPaths, root));
    }
    return new PodMaterializer(root, args, env);
  }

  /**
   * The kubelet's resolution of {@code valueFrom.secretKeyRef}: the Secret's value at container start; a missing
   * Secret or key (not optional) keeps the container from starting, as here.
   */
  private static String secretKeyValue(KubernetesClient client, String namespace, EnvVar var) {
    var ref = var.getValueFrom().getSecretKeyRef();
    if (ref == null) {
      throw new AssertionError("env " + var.getName() + " uses a valueFrom other than secretKeyRef");
    }
    Secret secret = client.secrets().inNamespace(namespace).withName(ref.getName()).get();
    if (secret == null || secret.getData() == null || !secret.getData().containsKey(ref.getKey())) {
      throw new AssertionError("env " + var.getName() + ": Secret " + ref.getName() + " key " + ref.getKey()
          + " is missing (CreateContainerConfigError)");
    }
    return new String(Base64.getDecoder().decode(secret.getData().get(ref.getKey())), StandardCharsets.UTF_8);
  }

  /** The host path standing for a path inside the container. */
  public Path inContainer(String path) {
    return under(root, path);
  }

  private static Path under(Path root, String absolute) {
    return root.resolve(absolute.replaceFirst("^/+", ""));
  }

  private static List<Path> writeVolume(
      Map<String, byte[]> data, List<KeyToPath> items, VolumeMount mount, Path target) throws IOException {
    Map<String, byte[]> files = new LinkedHashMap<>();
    if (items == null || items.isEmpty()) {
      files.putAll(data);
    } else {
      for (KeyToPath item : items) {
        if (!data.containsKey(item.getKey())) {
          throw new AssertionError("volume item " + item.getKey() + " is missing");
        }
        files.put(item.getPath(), data.get(item.getKey()));
      }
    }
    List<Path> written = new ArrayList<>();
    if (mount.getSubPath() != null && !mount.getSubPath().isEmpty()) {
      byte[] content = files.get(mount.getSubPath());
      if (content == null) {
        throw new AssertionError("subPath " + mount.getSubPath() + " is not in the volume");
      }
      Files.createDirectories(target.getParent());
      Files.write(target, content);
      written.add(target);
      return written;
    }
    Files.createDirectories(target);
    for (var file : files.entrySet()) {
      Path path = target.resolve(file.getKey());
      Files.createDirectories(path.getParent());
      Files.write(path, file.getValue());
      written.add(path);
    }
    return written;
  }

  /** One pass, longest mount path first, whole path segments only (so /tmp never matches inside /tmpfoo). */
  private static String rewrite(String text, List<String> mountPaths, Path root) {
    String alternatives = String.join("|", mountPaths.stream().map(java.util.regex.Pattern::quote).toList());
    var matcher = java.util.regex.Pattern.compile("(?<![\\w./-])(" + alternatives + ")(?=$|[/\\s\"',:])")
        .matcher(text);
    StringBuilder out = new StringBuilder();
    while (matcher.find()) {
      matcher.appendReplacement(out,
          java.util.regex.Matcher.quoteReplacement(under(root, matcher.group(1)).toString()));
    }
    matcher.appendTail(out);
    return out.toString();
  }
}
