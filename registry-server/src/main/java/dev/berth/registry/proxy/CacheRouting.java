package dev.berth.registry.proxy;

import dev.berth.registry.config.RegistryConfig;
import dev.berth.registry.oci.RepositoryName;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Which requests the cache answers. containerd names the registry an image belongs to in {@code ?ns=<host>} when it
 * asks a mirror; clients that cannot (podman and CRI-O mirrors, k3s rewrites, people) put the upstream's name first in
 * the path, {@code /v2/<name>/<repository>/...}. Cached content lives under {@code <name>/<upstream repository>}, so
 * it never collides with pushed repositories. The single-upstream shape caches every repository under its own name.
 */
public final class CacheRouting {
  static final String DOCKER_HUB = "docker.io";

  private final List<RegistryConfig.Upstream> upstreams;
  private final Predicate<RepositoryName> heldLocally;

  /** @param heldLocally whether the registry holds a repository of its own by that name (pushed, not cached) */
  public CacheRouting(RegistryConfig.Proxy proxy, Predicate<RepositoryName> heldLocally) {
    this.upstreams = proxy.upstreams();
    this.heldLocally = heldLocally;
  }

  /** The cached repository a request for {@code name} (with containerd's {@code ns}, may be null) is about. */
  public Optional<CachedRepository> resolve(RepositoryName name, String ns) {
    return resolve(name, ns, false);
  }

  /**
   * As above; {@code pull} marks a manifest GET/HEAD or blob GET, which Docker daemon mirror requests are: those with
   * neither {@code ns} nor prefix go to the {@code dockermirror} upstream unless the registry holds the repository.
   */
  public Optional<CachedRepository> resolve(RepositoryName name, String ns, boolean pull) {
    for (RegistryConfig.Upstream upstream : upstreams) {
      if (upstream.everyRepository()) {
        RepositoryName remote = remoteName(upstream, name.value());
        return Optional.of(new CachedRepository(upstream, remote, remote));
      }
    }
    if (ns != null && !ns.isBlank()) {
      String host = normaliseHost(ns);
      for (RegistryConfig.Upstream upstream : upstreams) {
        if (upstream.host().equals(host)) {
          return Optional.of(cached(upstream, name.value()));
        }
      }
    }
    String value = name.value();
    int slash = value.indexOf('/');
    if (slash > 0) {
      String first = value.substring(0, slash);
      for (RegistryConfig.Upstream upstream : upstreams) {
        if (upstream.name().equals(first)) {
          return Optional.of(cached(upstream, value.substring(slash + 1)));
        }
      }
    }
    if (pull && (ns == null || ns.isBlank())) {
      for (RegistryConfig.Upstream upstream : upstreams) {
        if (upstream.dockerMirror() && !heldLocally.test(name)) {
          return Optional.of(cached(upstream, value));
        }
      }
    }
    return Optional.empty();
  }

  private static CachedRepository cached(RegistryConfig.Upstream upstream, String path) {
    RepositoryName remote = remoteName(upstream, path);
    return new CachedRepository(upstream, remote, RepositoryName.parse(upstream.name() + "/" + remote.value()));
  }

  /** Docker Hub serves official images as {@code library/<name>}; docker, containerd and podman all add it. */
  private static RepositoryName remoteName(RegistryConfig.Upstream upstream, String path) {
    if (upstream.host().equals(DOCKER_HUB) && path.indexOf('/') < 0) {
      return RepositoryName.parse("library/" + path);
    }
    return RepositoryName.parse(path);
  }

  /** containerd writes docker.io for Docker Hub; registry-1.docker.io is the same registry. */
  private static String normaliseHost(String ns) {
    String host = ns.strip().toLowerCase(Locale.ROOT);
    return host.equals("registry-1.docker.io") || host.equals("index.docker.io") ? DOCKER_HUB : host;
  }
}
