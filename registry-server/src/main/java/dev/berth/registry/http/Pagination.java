package dev.berth.registry.http;

import dev.berth.registry.oci.ErrorCode;
import dev.berth.registry.oci.RegistryException;

/** The {@code n} and {@code last} query parameters of the tag list and the catalog. */
record Pagination(int limit, String last) {

  static Pagination of(Exchange exchange, int defaultLimit, int maxLimit) {
    String n = exchange.param("n");
    int limit = defaultLimit;
    if (n != null) {
      try {
        limit = Integer.parseInt(n);
      } catch (NumberFormatException e) {
        limit = -1;
      }
      if (limit < 0) {
        throw new RegistryException(ErrorCode.PAGINATION_NUMBER_INVALID, "invalid number of results requested: " + n, n);
      }
    }
    String last = exchange.param("last");
    return new Pagination(Math.min(limit, maxLimit), last == null || last.isEmpty() ? null : last);
  }

  /** The RFC 8288 {@code Link} header pointing at the next page after {@code lastReturned}. */
  String nextLink(String path, String lastReturned) {
    return "<" + path + "?n=" + limit + "&last=" + lastReturned + ">; rel=\"next\"";
  }
}
