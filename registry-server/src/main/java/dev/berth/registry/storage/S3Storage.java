package dev.berth.registry.storage;

import dev.berth.registry.oci.Digest;
import dev.berth.registry.oci.RepositoryName;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpConfigurationOption;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.utils.AttributeMap;

/**
 * {@link RegistryStorage} on an S3-compatible bucket in registry:2's key layout ({@code <rootdirectory>/docker/
 * registry/v2/...}): the registry logic of {@link DriverStorage} on {@link S3Driver}, with uploads as S3 multipart
 * uploads ({@link S3Uploads}). Keeps nothing another replica needs in memory: upload state is in the bucket, the
 * manifest cache holds content by digest (immutable), and listings follow the bucket within
 * {@code storage.listings.refresh}.
 */
public final class S3Storage extends DriverStorage {
  /** A presigned blob URL is valid this long, as distribution's. */
  static final Duration REDIRECT_VALIDITY = Duration.ofMinutes(20);

  private final S3Settings settings;
  private final S3Client s3;
  private final S3Presigner presigner;
  private final S3Driver s3Driver;
  private final Clock clock;

  /** Unfenced: for tools and tests where no collector ever runs on this bucket. */
  public S3Storage(S3Settings settings, Duration listingsRefresh) {
    this(settings, listingsRefresh, files -> ReferenceFence.NONE);
  }

  /**
   * @param fence the fence against collectors on the same bucket (any replica's, or a garbage-collect job's), built on
   *              this storage's own files, since its markers live in the bucket
   */
  public S3Storage(S3Settings settings, Duration listingsRefresh, Function<StorageFiles, ReferenceFence> fence) {
    this(settings, client(settings), Clock.systemUTC(), listingsRefresh, fence);
  }

  private S3Storage(S3Settings settings, S3Client s3, Clock clock, Duration listingsRefresh,
      Function<StorageFiles, ReferenceFence> fence) {
    this(settings, s3, presigner(settings, s3), clock, listingsRefresh, fence);
  }

  private S3Storage(S3Settings settings, S3Client s3, S3Presigner presigner, Clock clock, Duration listingsRefresh,
      Function<StorageFiles, ReferenceFence> fence) {
    this(settings, s3, presigner, new S3Driver(s3, presigner, settings),
        new StorageLayout(S3Driver.layoutRoot(settings.rootDirectory())), clock, listingsRefresh, fence);
  }

  private S3Storage(S3Settings settings, S3Client s3, S3Presigner presigner, S3Driver driver, StorageLayout layout,
      Clock clock, Duration listingsRefresh, Function<StorageFiles, ReferenceFence> fence) {
    super(layout, driver, clock, listingsRefresh, fence.apply(new StorageFiles(layout, driver)),
        (l, blobs, linked) -> new S3Uploads(l, driver, blobs, clock, settings, linked));
    this.settings = settings;
    this.s3Driver = driver;
    this.s3 = s3;
    this.clock = clock;
    this.presigner = presigner;
  }

  /**
   * The check at start: the bucket exists and these credentials may use it. Empty when it does; else the S3 error
   * (missing bucket, refused credentials, unreachable endpoint) and the key it points at.
   */
  public Optional<BucketProblem> checkBucket() {
    try {
      // apart from the request, so a process without any AWS identity is not told its endpoint is unreachable
      s3.serviceClientConfiguration().credentialsProvider().resolveIdentity().join();
    } catch (RuntimeException e) {
      return Optional.of(new BucketProblem("accesskey", "no credentials: set accesskey and secretkey (or"
          + " REGISTRY_STORAGE_S3_ACCESSKEY and REGISTRY_STORAGE_S3_SECRETKEY), or give the process an AWS identity"
          + " (environment, profile files, web identity, container or instance role)"));
    }
    try {
      s3.headBucket(b -> b.bucket(settings.bucket()));
      return Optional.empty();
    } catch (S3Exception e) {
      String key = switch (e.statusCode()) {
        case 404 -> "bucket";
        case 401, 403 -> "accesskey";
        default -> e.statusCode() >= 500 ? "regionendpoint" : "bucket";
      };
      String what = switch (e.statusCode()) {
        case 404 -> "the bucket does not exist";
        case 401, 403 -> "access denied (wrong or missing credentials, or no permission on the bucket)";
        default -> "S3 answered";
      };
      return Optional.of(new BucketProblem(key, what + ": " + S3Failures.describe(e)));
    } catch (SdkException e) {
      return Optional.of(new BucketProblem(settings.endpoint() != null ? "regionendpoint" : "region",
          "the endpoint is unreachable: " + S3Failures.describe(e)));
    }
  }

  /** Why the bucket cannot be used, and the key under {@code storage.s3} to look at. */
  public record BucketProblem(String key, String message) {}

  public S3Settings settings() {
    return settings;
  }

  @Override
  public Optional<URI> blobRedirect(RepositoryName repo, Digest digest) {
    if (!settings.redirect() || blob(repo, digest).isEmpty()) {
      return Optional.empty();
    }
    String key = s3Driver.key(layout.blobData(digest));
    return Optional.of(S3Failures.call("presign GetObject", settings.bucket(), key, () -> URI.create(
        presigner.presignGetObject(p -> p.signatureDuration(REDIRECT_VALIDITY)
            .getObjectRequest(g -> g.bucket(settings.bucket()).key(key))).url().toString())));
  }

  /**
   * Removes uploads older than {@code uploadMaxAge}: side objects and state of every repository's uploads (also in
   * repositories that hold nothing else yet), and the
   * multipart uploads under the repositories (S3 keeps their parts, and bills them, until aborted). Temp files do not
   * exist on S3.
   */
  @Override
  public StaleFileSweeper.Result sweepStale(Duration uploadMaxAge, Duration tempMaxAge) {
    // straight from the bucket, not the catalog: a repository holding only unfinished uploads is not listed there
    List<String> repositories = List.copyOf(RepositoryCatalog.withUploads(layout, driver).scan());
    int removed = ((S3Uploads) uploads()).purge(repositories, clock.instant().minus(uploadMaxAge));
    return new StaleFileSweeper.Result(removed, 0);
  }

  @Override
  public void close() {
    s3.close();
    presigner.close();
  }

  /**
   * The SDK client: sync, on the JDK's URLConnection (Berth's storage calls block on worker threads), the SDK's
   * standard retries with backoff for throttling and transient errors, checksums only where S3 requires them (many
   * S3-compatible servers reject the newer default CRC headers), path-style when asked (MinIO, Ceph, s3proxy).
   * Over plain HTTP (in-cluster MinIO, Ceph) the SDK signs the payload; without chunked encoding it does so with one
   * SHA-256 of each part (the JDK's, with CPU support) instead of a signature per 128 KiB chunk, which copied every
   * chunk and cost a third of a part upload's time in the S3 benchmark. Over HTTPS nothing changes (unsigned
   * payload, TLS guards it).
   */
  static S3Client client(S3Settings settings) {
    var builder = S3Client.builder()
        .httpClient(httpClient(settings))
        .region(Region.of(settings.region()))
        .credentialsProvider(credentials(settings))
        .forcePathStyle(settings.forcePathStyle())
        .serviceConfiguration(S3Configuration.builder().chunkedEncodingEnabled(false).build())
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
    if (settings.endpoint() != null) {
      builder.endpointOverride(settings.endpoint());
    }
    return builder.build();
  }

  /**
   * Signs redirect URLs and the range GETs the HTTP layer sends itself; it shares the client's credentials, so a
   * web identity or instance role is resolved and refreshed once.
   */
  private static S3Presigner presigner(S3Settings settings, S3Client s3) {
    var builder = S3Presigner.builder()
        .region(Region.of(settings.region()))
        .credentialsProvider(s3.serviceClientConfiguration().credentialsProvider())
        .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(settings.forcePathStyle()).build());
    if (settings.endpoint() != null) {
      builder.endpointOverride(settings.endpoint());
    }
    return builder.build();
  }

  private static SdkHttpClient httpClient(S3Settings settings) {
    var builder = UrlConnectionHttpClient.builder()
        .connectionTimeout(Duration.ofSeconds(5))
        .socketTimeout(Duration.ofSeconds(60));
    if (settings.skipVerify()) {
      return builder.buildWithDefaults(AttributeMap.builder()
          .put(SdkHttpConfigurationOption.TRUST_ALL_CERTIFICATES, true).build());
    }
    return builder.build();
  }

  private static AwsCredentialsProvider credentials(S3Settings settings) {
    if (settings.hasStaticCredentials()) {
      return StaticCredentialsProvider.create(AwsBasicCredentials.create(settings.accessKey(), settings.secretKey()));
    }
    return DefaultCredentialsProvider.builder().build();
  }
}
