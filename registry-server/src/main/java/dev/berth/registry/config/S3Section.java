package dev.berth.registry.config;

import dev.berth.registry.storage.S3Settings;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Reads {@code storage.s3} with distribution's meanings: {@code regionendpoint} without a scheme gets https (or http
 * with {@code secure: false}); {@code forcepathstyle} defaults to true when {@code regionendpoint} is set, as
 * distribution 2.x always did there (MinIO, Ceph, s3proxy need it); {@code region} may be left out with a
 * {@code regionendpoint} (us-east-1 is signed then); {@code chunksize} is bytes, 5 MiB to 5 GiB;
 * {@code storageclass} is not sent unless set ({@code NONE} also sends none). Without {@code accesskey} and
 * {@code secretkey} the SDK's default credential chain is used.
 */
final class S3Section {
  static final String PREFIX = "storage.s3.";

  private S3Section() {}

  static S3Settings read(ConfigTree tree, boolean redirect) {
    String bucket = tree.string(PREFIX + "bucket").map(String::strip).filter(s -> !s.isEmpty())
        .orElseThrow(() -> tree.error(PREFIX + "bucket", "is required for the s3 storage driver"));
    boolean secure = tree.bool(PREFIX + "secure").orElse(true);
    URI endpoint = tree.string(PREFIX + "regionendpoint").map(String::strip).filter(s -> !s.isEmpty())
        .map(text -> endpoint(tree, text, secure)).orElse(null);
    String region = tree.string(PREFIX + "region").map(String::strip).filter(s -> !s.isEmpty())
        .orElseGet(() -> {
          if (endpoint == null) {
            throw tree.error(PREFIX + "region", "is required for the s3 storage driver without a regionendpoint");
          }
          return "us-east-1";
        });
    String root = tree.string(PREFIX + "rootdirectory").map(String::strip).orElse("");
    root = root.replaceAll("^/+", "").replaceAll("/+$", "");
    String accessKey = tree.string(PREFIX + "accesskey").map(String::strip).orElse("");
    String secretKey = tree.string(PREFIX + "secretkey").map(String::strip).orElse("");
    if (accessKey.isEmpty() != secretKey.isEmpty()) {
      String missing = accessKey.isEmpty() ? "accesskey" : "secretkey";
      throw tree.error(PREFIX + missing, "is required when " + (accessKey.isEmpty() ? "secretkey" : "accesskey")
          + " is set (leave both out to use the default AWS credential chain)");
    }
    boolean pathStyle = tree.bool(PREFIX + "forcepathstyle").orElse(endpoint != null);
    long chunkSize = chunkSize(tree);
    String storageClass = tree.string(PREFIX + "storageclass").map(String::strip).filter(s -> !s.isEmpty())
        .filter(s -> !s.equalsIgnoreCase("NONE")).map(s -> s.toUpperCase(Locale.ROOT)).orElse(null);
    return new S3Settings(bucket, region, endpoint, root, accessKey, secretKey, pathStyle,
        tree.bool(PREFIX + "skipverify").orElse(false), chunkSize, storageClass,
        tree.bool(PREFIX + "encrypt").orElse(false), redirect);
  }

  private static URI endpoint(ConfigTree tree, String text, boolean secure) {
    String withScheme = text.contains("://") ? text : (secure ? "https://" : "http://") + text;
    try {
      URI uri = new URI(withScheme);
      if (uri.getHost() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
        throw tree.error(PREFIX + "regionendpoint", "'" + text + "' is not an http(s) URL or host[:port]");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw tree.error(PREFIX + "regionendpoint", "'" + text + "' is not an http(s) URL or host[:port]");
    }
  }

  private static long chunkSize(ConfigTree tree) {
    String key = PREFIX + "chunksize";
    return tree.string(key).map(String::strip).filter(s -> !s.isEmpty()).map(text -> {
      long value;
      try {
        value = Long.parseLong(text);
      } catch (NumberFormatException e) {
        throw tree.error(key, "expected a size in bytes, found '" + text + "'");
      }
      if (value < S3Settings.MIN_CHUNK_SIZE || value > S3Settings.MAX_CHUNK_SIZE) {
        throw tree.error(key, "must be between " + S3Settings.MIN_CHUNK_SIZE + " (5 MiB, S3's smallest part) and "
            + S3Settings.MAX_CHUNK_SIZE + " (5 GiB) bytes, found " + value);
      }
      return value;
    }).orElse(S3Settings.DEFAULT_CHUNK_SIZE);
  }
}
