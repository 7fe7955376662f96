package dev.berth.operator.storage;

import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.SdkHttpConfigurationOption;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.DefaultRetryStrategy;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.utils.AttributeMap;

/**
 * The bucket check against real S3: one HeadBucket through the AWS SDK v2, with the endpoint, region, addressing
 * style and credentials of the spec, bounded in time (a reconcile waits for it) and with one retry for a transient
 * error. A fresh client per check: checks are rare (a reconcile), and a client kept per Registry would have to follow
 * every change of its endpoint and credentials.
 */
public final class SdkBucketCheck implements BucketCheck {
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);
  static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

  @Override
  public Result check(BucketLocation location, S3Credentials credentials) {
    try (SdkHttpClient http = httpClient(location); S3Client s3 = client(location, credentials, http)) {
      s3.headBucket(b -> b.bucket(location.bucket()));
      return Result.reachable();
    } catch (NoSuchBucketException e) {
      return Result.failed(Outcome.NO_SUCH_BUCKET, describe(e));
    } catch (S3Exception e) {
      Outcome outcome = switch (e.statusCode()) {
        case 404 -> Outcome.NO_SUCH_BUCKET;
        case 401, 403 -> Outcome.ACCESS_DENIED;
        default -> Outcome.FAILED;
      };
      return Result.failed(outcome, describe(e));
    } catch (SdkClientException e) {
      // no answer from S3 at all: refused, unknown host, TLS failure, timeout
      return Result.failed(Outcome.UNREACHABLE, e.getMessage());
    } catch (SdkException | IllegalArgumentException e) {
      return Result.failed(Outcome.FAILED, e.getMessage());
    }
  }

  /** HeadBucket answers without a body, so the status code is often all S3 says; name it. */
  private static String describe(S3Exception e) {
    String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
    String message = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorMessage();
    StringBuilder text = new StringBuilder("HTTP ").append(e.statusCode());
    if (code != null && !code.isBlank()) {
      text.append(' ').append(code);
    }
    if (message != null && !message.isBlank()) {
      text.append(": ").append(message);
    }
    if (e.requestId() != null && !e.requestId().isBlank()) {
      text.append(" (request id ").append(e.requestId()).append(')');
    }
    return text.toString();
  }

  private static SdkHttpClient httpClient(BucketLocation location) {
    UrlConnectionHttpClient.Builder builder = UrlConnectionHttpClient.builder()
        .connectionTimeout(CONNECT_TIMEOUT)
        .socketTimeout(CALL_TIMEOUT);
    if (location.skipVerify()) {
      return builder.buildWithDefaults(AttributeMap.builder()
          .put(SdkHttpConfigurationOption.TRUST_ALL_CERTIFICATES, true)
          .build());
    }
    return builder.build();
  }

  private static S3Client client(BucketLocation location, S3Credentials credentials, SdkHttpClient http) {
    var builder = S3Client.builder()
        .httpClient(http)
        .region(Region.of(location.region()))
        .forcePathStyle(location.forcePathStyle())
        .credentialsProvider(StaticCredentialsProvider.create(
            AwsBasicCredentials.create(credentials.accessKey(), credentials.secretKey())))
        // S3-compatible stores reject or ignore the newer default checksums; HeadBucket needs none
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .overrideConfiguration(c -> c
            .apiCallTimeout(CALL_TIMEOUT)
            .retryStrategy(DefaultRetryStrategy.standardStrategyBuilder().maxAttempts(2).build()));
    location.endpoint().ifPresent(builder::endpointOverride);
    return builder.build();
  }
}
