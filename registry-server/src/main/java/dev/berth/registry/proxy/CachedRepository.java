package dev.berth.registry.proxy;

import dev.berth.registry.config.RegistryConfig;
import dev.berth.registry.oci.RepositoryName;

/**
 * A repository of the pull-through cache: {@code remote} is its name at the upstream (Docker Hub's one-segment names
 * already given {@code library/}), {@code local} the name its cached content is stored under here.
 */
public record CachedRepository(RegistryConfig.Upstream upstream, RepositoryName remote, RepositoryName local) {}
