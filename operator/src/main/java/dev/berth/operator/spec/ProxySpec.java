package dev.berth.operator.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/**
 * The pull-through cache (the server's proxy.upstreams): public registries whose images the registry caches under
 * /v2/&lt;name&gt;/..., and which, with node access on, every node's runtime pulls through the registry.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ProxySpec {

  @JsonPropertyDescription("The upstream registries to cache. Pushes into a cached repository are refused; every other"
      + " repository takes pushes as usual.")
  @Size(max = 32)
  private List<UpstreamSpec> upstreams;

  public List<UpstreamSpec> getUpstreams() {
    return upstreams;
  }

  public void setUpstreams(List<UpstreamSpec> upstreams) {
    this.upstreams = upstreams;
  }

  public List<UpstreamSpec> upstreamsOrEmpty() {
    return upstreams == null ? List.of() : upstreams;
  }
}
