package dev.berth.operator.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/**
 * A bucket of AWS S3 or an S3-compatible store (MinIO, Ceph RGW, Cloudflare R2, ...) holding the registry's data in the
 * registry:2 key layout under rootDirectory. Rendered into the server's storage.s3 keys; the credentials reach the
 * pods only as environment variables from the Secret, never through the ConfigMap.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class S3Storage {
  public static final String DEFAULT_REGION = "us-east-1";
  /** Keys of the credentials Secret (the twuni chart's secrets.s3.secretRef uses the same). */
  public static final String ACCESS_KEY = "accessKey";
  public static final String SECRET_KEY = "secretKey";
  /** S3's bucket naming rules (3-63 characters, lower case, digits, dots and hyphens). */
  public static final String BUCKET_PATTERN = "^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$";
  public static final String ENDPOINT_PATTERN = "^https?://[A-Za-z0-9.:\\[\\]-]+(/[^\\s]*)?$";
  public static final String ROOT_PATTERN = "^(/?[A-Za-z0-9!_.*'()-]+)*/?$";

  @JsonPropertyDescription("Name of the bucket. It must exist: the operator checks it (HeadBucket) and reports"
      + " StorageReady False with the S3 error until it can reach it.")
  @Required
  @Pattern(BUCKET_PATTERN)
  private String bucket;

  @JsonPropertyDescription("URL of an S3-compatible endpoint, https://host[:port] or http://host[:port] (the"
      + " server's storage.s3.regionendpoint). Empty: AWS S3 in the region.")
  @Pattern(ENDPOINT_PATTERN)
  @Size(max = 2048)
  private String endpoint;

  @JsonPropertyDescription("Region of the bucket (signing region for S3-compatible stores).")
  @Default(DEFAULT_REGION)
  @Pattern("^[a-z0-9-]{1,64}$")
  private String region = DEFAULT_REGION;

  @JsonPropertyDescription("Address the bucket in the path (https://host/bucket/key) instead of the host name, as most"
      + " S3-compatible stores (MinIO, Ceph RGW, s3proxy) need. Unset: path style when endpoint is set, the bucket's"
      + " host name for AWS S3 (distribution's rule).")
  private Boolean forcePathStyle;

  @JsonPropertyDescription("Key prefix in the bucket under which the registry:2 layout (docker/registry/v2/...)"
      + " lives, so one bucket can hold several registries. Empty: the bucket's root.")
  @Pattern(ROOT_PATTERN)
  @Size(max = 512)
  private String rootDirectory;

  @JsonPropertyDescription("Name of a Secret in the Registry's namespace with keys accessKey and secretKey. Empty:"
      + " the pods use their own identity (the AWS SDK's default chain: IRSA web identity, EKS Pod Identity,"
      + " instance profile); set serviceAccountName to the ServiceAccount bound to the IAM role.")
  @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
  @Size(min = 1, max = 253)
  private String credentialsSecret;

  @JsonPropertyDescription("Ask S3 to encrypt objects at rest (server-side encryption, storage.s3.encrypt).")
  @Default("false")
  private Boolean encrypt = false;

  @JsonPropertyDescription("Do not verify the endpoint's TLS certificate (storage.s3.skipverify). For test setups"
      + " only.")
  @Default("false")
  private Boolean skipVerify = false;

  public String getBucket() {
    return bucket;
  }

  public void setBucket(String bucket) {
    this.bucket = bucket;
  }

  public String getEndpoint() {
    return endpoint;
  }

  public void setEndpoint(String endpoint) {
    this.endpoint = endpoint;
  }

  public String getRegion() {
    return region;
  }

  public void setRegion(String region) {
    this.region = region;
  }

  public Boolean getForcePathStyle() {
    return forcePathStyle;
  }

  public void setForcePathStyle(Boolean forcePathStyle) {
    this.forcePathStyle = forcePathStyle;
  }

  public String getRootDirectory() {
    return rootDirectory;
  }

  public void setRootDirectory(String rootDirectory) {
    this.rootDirectory = rootDirectory;
  }

  public String getCredentialsSecret() {
    return credentialsSecret;
  }

  public void setCredentialsSecret(String credentialsSecret) {
    this.credentialsSecret = credentialsSecret;
  }

  public Boolean getEncrypt() {
    return encrypt;
  }

  public void setEncrypt(Boolean encrypt) {
    this.encrypt = encrypt;
  }

  public Boolean getSkipVerify() {
    return skipVerify;
  }

  public void setSkipVerify(Boolean skipVerify) {
    this.skipVerify = skipVerify;
  }

  public String regionOrDefault() {
    return region == null || region.isBlank() ? DEFAULT_REGION : region;
  }

  /** The server's rule for an unset forcepathstyle: path style exactly when an endpoint is given. */
  public boolean forcePathStyleOrDefault() {
    return forcePathStyle == null ? hasEndpoint() : forcePathStyle;
  }

  public boolean encryptOrDefault() {
    return Boolean.TRUE.equals(encrypt);
  }

  public boolean skipVerifyOrDefault() {
    return Boolean.TRUE.equals(skipVerify);
  }

  public boolean hasEndpoint() {
    return endpoint != null && !endpoint.isBlank();
  }

  public boolean hasRootDirectory() {
    return rootDirectory != null && !rootDirectory.isBlank();
  }

  /** False when the pods are to use their own identity (no credentials Secret). */
  public boolean hasCredentialsSecret() {
    return credentialsSecret != null && !credentialsSecret.isBlank();
  }
}
