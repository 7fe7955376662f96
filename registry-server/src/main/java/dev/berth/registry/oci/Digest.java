package dev.berth.registry.oci;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** A content digest such as {@code sha256:<64 hex>}; only sha256 and sha512 are accepted. */
public record Digest(String algorithm, String hex) {
  private static final Pattern SHA256 = Pattern.compile("[a-f0-9]{64}");
  private static final Pattern SHA512 = Pattern.compile("[a-f0-9]{128}");
  private static final Pattern GRAMMAR = Pattern.compile("[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+");

  public Digest {
    Pattern hexPattern = switch (algorithm) {
      case "sha256" -> SHA256;
      case "sha512" -> SHA512;
      default -> throw new RegistryException(ErrorCode.DIGEST_INVALID, "unsupported digest algorithm: " + algorithm);
    };
    if (!hexPattern.matcher(hex).matches()) {
      throw new RegistryException(ErrorCode.DIGEST_INVALID, "invalid " + algorithm + " digest: " + hex);
    }
  }

  /** Parses {@code algorithm:hex}; throws DIGEST_INVALID for anything else (never a raw exception). */
  public static Digest parse(String text) {
    if (text == null || !GRAMMAR.matcher(text).matches()) {
      throw new RegistryException(ErrorCode.DIGEST_INVALID, "invalid digest: " + text);
    }
    int colon = text.indexOf(':');
    return new Digest(text.substring(0, colon), text.substring(colon + 1));
  }

  /** True when {@code text} looks like a digest (contains ':'), i.e. a manifest reference that is not a tag. */
  public static boolean looksLikeDigest(String text) {
    return text != null && text.indexOf(':') > 0;
  }

  public static Digest of(String algorithm, byte[] content) {
    MessageDigest md = newMessageDigest(algorithm);
    return new Digest(algorithm, HexFormat.of().formatHex(md.digest(content)));
  }

  public static Digest sha256(byte[] content) {
    return of("sha256", content);
  }

  public MessageDigest newHasher() {
    return newMessageDigest(algorithm);
  }

  private static MessageDigest newMessageDigest(String algorithm) {
    try {
      return MessageDigest.getInstance(switch (algorithm) {
        case "sha256" -> "SHA-256";
        case "sha512" -> "SHA-512";
        default -> throw new RegistryException(ErrorCode.DIGEST_INVALID, "unsupported digest algorithm: " + algorithm);
      });
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String toString() {
    return algorithm + ":" + hex;
  }
}
