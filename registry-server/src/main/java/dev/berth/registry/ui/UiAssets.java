package dev.berth.registry.ui;

import dev.berth.registry.oci.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The UI's static files, packed into the jar under {@code berth-ui/}: looked up by the path below {@code /ui/}, each
 * with its Content-Type and an ETag (its SHA-256), so a browser revalidates cheaply and never runs a stale script.
 */
public final class UiAssets {
  static final String ROOT = "berth-ui/";
  private static final Pattern SAFE = Pattern.compile("[a-z0-9-]+(/[a-z0-9-]+)*\\.[a-z]+");
  private static final Map<String, String> TYPES = Map.of(
      "html", "text/html; charset=utf-8",
      "css", "text/css; charset=utf-8",
      "js", "text/javascript; charset=utf-8",
      "svg", "image/svg+xml",
      "png", "image/png",
      "ico", "image/x-icon");

  /** A file to serve: its bytes, media type and quoted ETag. */
  public record Asset(byte[] content, String contentType, String etag) {}

  private final ClassLoader loader;
  private final Map<String, Optional<Asset>> cache = new ConcurrentHashMap<>();

  public UiAssets() {
    this(UiAssets.class.getClassLoader());
  }

  UiAssets(ClassLoader loader) {
    this.loader = loader;
  }

  /** The file at {@code path} below {@code /ui/} ("" is the page itself); empty for anything not shipped. */
  public Optional<Asset> find(String path) {
    String name = path.isEmpty() ? "index.html" : path;
    if (!SAFE.matcher(name).matches()) {
      return Optional.empty(); // no "..", no odd characters: only names the jar could hold
    }
    return cache.computeIfAbsent(name, this::load);
  }

  private Optional<Asset> load(String name) {
    String type = TYPES.get(name.substring(name.lastIndexOf('.') + 1));
    if (type == null) {
      return Optional.empty();
    }
    try (InputStream in = loader.getResourceAsStream(ROOT + name)) {
      if (in == null) {
        return Optional.empty();
      }
      byte[] content = in.readAllBytes();
      return Optional.of(new Asset(content, type, "\"" + Digest.sha256(content).hex() + "\""));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
