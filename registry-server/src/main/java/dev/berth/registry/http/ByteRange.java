package dev.berth.registry.http;

import dev.berth.registry.oci.ErrorCode;
import dev.berth.registry.oci.RegistryException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A single satisfiable byte range of a blob, from a {@code Range: bytes=a-b | a- | -n} header (RFC 9110). */
record ByteRange(long start, long length) {
  private static final Pattern RANGE = Pattern.compile("bytes=(\\d*)-(\\d*)");

  long end() {
    return start + length - 1;
  }

  /** The range asked for, or null when there is no Range header (or it is not one we serve: multi-range). */
  static ByteRange parse(String header, long size) {
    if (header == null) {
      return null;
    }
    Matcher m = RANGE.matcher(header.trim());
    if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
      return null; // RFC 9110: an unparseable or multi-range header may be ignored; the whole blob is sent
    }
    try {
      if (m.group(1).isEmpty()) { // suffix: the last n bytes
        long n = Long.parseLong(m.group(2));
        if (n == 0 || size == 0) {
          throw unsatisfiable(header, size);
        }
        long length = Math.min(n, size);
        return new ByteRange(size - length, length);
      }
      long start = Long.parseLong(m.group(1));
      long end = m.group(2).isEmpty() ? size - 1 : Math.min(Long.parseLong(m.group(2)), size - 1);
      if (start >= size || end < start) {
        throw unsatisfiable(header, size);
      }
      return new ByteRange(start, end - start + 1);
    } catch (NumberFormatException e) {
      throw unsatisfiable(header, size);
    }
  }

  private static RegistryException unsatisfiable(String header, long size) {
    return new RegistryException(ErrorCode.RANGE_INVALID, "range " + header + " not satisfiable for a blob of " + size + " bytes",
        size);
  }
}
