package dev.berth.registry.storage;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Everything a replica needs to continue an upload another one started, kept in the bucket as
 * {@code _uploads/<id>/berth-state.json} and rewritten at the end of every PATCH, over the state the PATCH started
 * from only (see {@link S3Uploads#writeState}):
 *
 * @param multipartId the S3 multipart upload on {@code _uploads/<id>/data}; null until the first full part
 * @param partSize    the fixed part size this upload started with (replicas may be configured differently)
 * @param parts       the full parts uploaded so far, numbered from 1
 * @param offset      bytes received: every part plus the tail
 * @param tailKey     the side object holding the bytes after the last full part (fewer than a part); null when none
 * @param sha256      BouncyCastle's encoded SHA-256 state over bytes [0, offset), base64
 * @param startedAt   RFC 3339, as registry:2's startedat file
 */
record S3UploadState(String multipartId, long partSize, List<Part> parts, long offset, String tailKey,
    String sha256, String startedAt) {
  private static final ObjectMapper JSON = JsonMapper.builder().build();

  record Part(int number, String etag, long size) {}

  long tailSize() {
    return offset - (long) parts.size() * partSize;
  }

  byte[] toJson() {
    try {
      return JSON.writeValueAsBytes(this);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static S3UploadState fromJson(byte[] json) {
    try {
      S3UploadState state = JSON.readValue(json, S3UploadState.class);
      if (state.parts() == null || state.sha256() == null || state.partSize() < S3Settings.MIN_CHUNK_SIZE
          || state.tailSize() < 0 || state.tailSize() > state.partSize()) {
        throw new IOException("inconsistent upload state");
      }
      return state;
    } catch (IOException e) {
      throw new UncheckedIOException("unreadable upload state", e);
    }
  }
}
