package dev.berth.registry.http;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.berth.registry.oci.Descriptor;
import dev.berth.registry.oci.Digest;
import dev.berth.registry.storage.RegistryStorage;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The read-only listings: tags, the catalog, the v1 search that {@code docker search} calls, and referrers. */
final class ListingEndpoints {
  private static final int CATALOG_DEFAULT = 1000;
  private static final int CATALOG_MAX = 10_000;

  private final RegistryStorage storage;

  ListingEndpoints(RegistryStorage storage) {
    this.storage = storage;
  }

  record TagList(String name, List<String> tags) {}

  record Catalog(List<String> repositories) {}

  record SearchResult(String name, String description, @JsonProperty("star_count") int starCount,
      @JsonProperty("is_official") boolean official, @JsonProperty("is_automated") boolean automated) {}

  record SearchPage(@JsonProperty("num_pages") int numPages, @JsonProperty("num_results") int numResults, int page,
      @JsonProperty("page_size") int pageSize, String query, List<SearchResult> results) {}

  record ReferrersIndex(int schemaVersion, String mediaType, List<Descriptor> manifests) {}

  BodySink tags(Exchange exchange, Route.Tags route) {
    Methods.require(exchange, "GET", "HEAD");
    Pagination page = Pagination.of(exchange, Integer.MAX_VALUE, Integer.MAX_VALUE);
    List<String> all = storage.tags(route.repo());
    List<String> after = page.last() == null ? all : all.stream().filter(t -> t.compareTo(page.last()) > 0).toList();
    List<String> tags = after.subList(0, Math.min(page.limit(), after.size()));
    HttpHeaders headers = new DefaultHttpHeaders();
    if (tags.size() < after.size() && !tags.isEmpty()) {
      headers.set("Link", page.nextLink("/v2/" + route.repo() + "/tags/list", tags.get(tags.size() - 1)));
    }
    exchange.respondJson(HttpResponseStatus.OK, headers, new TagList(route.repo().value(), tags));
    return null;
  }

  BodySink catalog(Exchange exchange) {
    Methods.require(exchange, "GET", "HEAD");
    Pagination page = Pagination.of(exchange, CATALOG_DEFAULT, CATALOG_MAX);
    // one more than asked tells whether a next page exists
    List<String> names = storage.repositories(page.last(), page.limit() + 1);
    HttpHeaders headers = new DefaultHttpHeaders();
    if (names.size() > page.limit()) {
      names = names.subList(0, page.limit());
      if (!names.isEmpty()) {
        headers.set("Link", page.nextLink("/v2/_catalog", names.get(names.size() - 1)));
      }
    }
    exchange.respondJson(HttpResponseStatus.OK, headers, new Catalog(names));
    return null;
  }

  /** {@code GET /v1/search?q=&n=&page=}: a substring match over the catalog, in the v1 registry's JSON shape. */
  BodySink search(Exchange exchange) {
    Methods.require(exchange, "GET", "HEAD");
    String query = exchange.param("q") == null ? "" : exchange.param("q");
    int pageSize = clamp(parseOr(exchange.param("n"), 25), 1, 100);
    int pageNumber = Math.max(1, parseOr(exchange.param("page"), 1));
    String needle = query.toLowerCase(Locale.ROOT);
    // one walk of the catalog: every page of it would walk the whole repositories tree again
    List<String> matches = new ArrayList<>();
    for (String name : storage.repositories(null, Integer.MAX_VALUE)) {
      if (name.contains(needle)) {
        matches.add(name);
      }
    }
    int from = Math.min((pageNumber - 1) * pageSize, matches.size());
    List<SearchResult> results = matches.subList(from, Math.min(from + pageSize, matches.size())).stream()
        .map(name -> new SearchResult(name, "", 0, false, false)).toList();
    int pages = (matches.size() + pageSize - 1) / pageSize;
    exchange.respondJson(HttpResponseStatus.OK, new DefaultHttpHeaders(),
        new SearchPage(pages, matches.size(), pageNumber, pageSize, query, results));
    return null;
  }

  BodySink referrers(Exchange exchange, Route.Referrers route) {
    Methods.require(exchange, "GET", "HEAD");
    Digest subject = Digest.parse(route.digest());
    List<Descriptor> referrers = storage.referrers(route.repo(), subject);
    String artifactType = exchange.param("artifactType");
    HttpHeaders headers = new DefaultHttpHeaders();
    if (artifactType != null) {
      referrers = referrers.stream().filter(d -> artifactType.equals(d.artifactType())).toList();
      headers.set("OCI-Filters-Applied", "artifactType");
    }
    headers.set(HttpHeaderNames.CONTENT_TYPE, OCI_INDEX);
    exchange.respond(HttpResponseStatus.OK, headers, Json.write(new ReferrersIndex(2, OCI_INDEX, referrers)));
    return null;
  }

  private static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";

  private static int parseOr(String value, int fallback) {
    try {
      return value == null ? fallback : Integer.parseInt(value);
    } catch (NumberFormatException e) {
      return fallback;
    }
  }

  private static int clamp(int value, int min, int max) {
    return Math.max(min, Math.min(max, value));
  }
}
