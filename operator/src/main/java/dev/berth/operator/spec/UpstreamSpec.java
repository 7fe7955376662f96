package dev.berth.operator.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import java.net.URI;
import java.util.Locale;

/** One cached upstream registry. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class UpstreamSpec {

  @JsonPropertyDescription("Name of the cache, and the first path component of its repositories: pull"
      + " <registry>/dockerhub/nginx:1 for docker.io/library/nginx:1.")
  @Required
  @Pattern("^[a-z0-9]+([._-][a-z0-9]+)*$")
  private String name;

  @JsonPropertyDescription("The upstream's API URL, e.g. https://registry-1.docker.io, https://ghcr.io, https://quay.io.")
  @Required
  @Pattern("^https?://[^/?#@\\s\"]+/?$")
  private String url;

  @JsonPropertyDescription("The registry host image names carry for this upstream, e.g. docker.io. Empty: the URL's host"
      + " (docker.io for registry-1.docker.io). Nodes pull <host>/... through the registry.")
  @Pattern("^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]{1,5})?$")
  private String host;

  @JsonPropertyDescription("A Secret in the Registry's namespace with keys username and password for the upstream"
      + " (Basic or token login). Empty: anonymous.")
  private String credentialsSecret;

  @JsonPropertyDescription("How long the upstream's answer for a tag is trusted before it is asked again, e.g. 5m."
      + " Empty: 5m. 0: asked on every pull.")
  @Pattern("^(0|([0-9]+(\\.[0-9]+)?(ms|s|m|h))+)$")
  private String ttl;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getUrl() {
    return url;
  }

  public void setUrl(String url) {
    this.url = url;
  }

  public String getHost() {
    return host;
  }

  public void setHost(String host) {
    this.host = host;
  }

  public String getCredentialsSecret() {
    return credentialsSecret;
  }

  public void setCredentialsSecret(String credentialsSecret) {
    this.credentialsSecret = credentialsSecret;
  }

  public String getTtl() {
    return ttl;
  }

  public void setTtl(String ttl) {
    this.ttl = ttl;
  }

  /** The URL without a trailing slash. */
  public String urlOrEmpty() {
    return url == null ? "" : url.replaceAll("/+$", "");
  }

  /** The host set, else the URL's (Docker Hub's API host stands for docker.io), as the server derives it too. */
  public String hostOrDefault() {
    if (host != null && !host.isBlank()) {
      return host;
    }
    URI uri = URI.create(urlOrEmpty());
    String h = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
    if (h.equals("registry-1.docker.io") || h.equals("index.docker.io")) {
      return "docker.io";
    }
    return uri.getPort() < 0 ? h : h + ":" + uri.getPort();
  }

  public boolean hasCredentials() {
    return credentialsSecret != null && !credentialsSecret.isBlank();
  }
}
