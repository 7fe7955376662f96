package dev.berth.registry.auth;

import java.net.InetAddress;

/**
 * What an {@link Authenticator} sees of a request: the {@code Authorization} header (null when absent), the client's
 * address (for throttling and the access log), and the {@code Host} and scheme the client used, so a challenge can
 * name this server's own token realm when none is configured.
 */
public record AuthRequest(String authorization, InetAddress client, String host, boolean secure) {}
