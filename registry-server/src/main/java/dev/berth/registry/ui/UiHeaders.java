package dev.berth.registry.ui;

import java.util.Map;

/** The headers every UI answer carries: a strict CSP (nothing but this origin), no sniffing, no framing, no referrer. */
public final class UiHeaders {
  public static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
      + "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
      + "frame-ancestors 'none'";
  /** Revalidate every time: the ETag makes that a 304 without a body. */
  public static final String CACHE_CONTROL = "no-cache";

  private UiHeaders() {}

  public static Map<String, String> security() {
    return Map.of("Content-Security-Policy", CONTENT_SECURITY_POLICY, "X-Content-Type-Options", "nosniff",
        "X-Frame-Options", "DENY", "Referrer-Policy", "no-referrer");
  }
}
