package com.gongpipeline.security;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The one rule for URLs that carry credentials ({@code --gongBaseUrl}: Basic auth; {@code
 * --cortexUrl}: a PAT or key-pair JWT): {@code https://}, or plain {@code http://} only to a
 * loopback host ({@code 127.0.0.0/8}, {@code ::1}, {@code localhost}), where the local simulators
 * and stand-ins run. Anything else is refused with a message naming the option and host (never the
 * whole URL, which could carry a secret); the CLI maps the {@link IllegalArgumentException} to
 * exit code 2 (bad usage or configuration). The host is judged as written, never resolved: a name
 * that merely resolves to 127.0.0.1 is not trusted.
 */
public final class CleartextPolicy {
  private static final Pattern IPV4_LOOPBACK =
      Pattern.compile("127\\.(25[0-5]|2[0-4]\\d|1?\\d?\\d)(\\.(25[0-5]|2[0-4]\\d|1?\\d?\\d)){2}");

  private CleartextPolicy() {}

  /**
   * Refuses {@code url} for {@code option} unless it is https, or http to a loopback host.
   *
   * @throws IllegalArgumentException when credentials would travel in cleartext off this machine
   */
  public static void requireSecureTransport(String option, String url) {
    URI uri;
    try {
      uri = new URI(url.trim());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(option + " is not a valid URL");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (scheme.equals("https")) {
      return;
    }
    String host = uri.getHost();
    if (scheme.equals("http") && host != null && isLoopback(host)) {
      return;
    }
    throw new IllegalArgumentException(option + " must use https://"
        + (scheme.equals("http")
            ? ": plain http:// to " + (host == null ? "that host" : host) + " would send "
                + "credentials in cleartext; http:// is accepted only for a loopback host "
                + "(127.0.0.0/8, ::1, localhost), e.g. the local simulators"
            : ", got a URL with scheme '" + scheme + "'"));
  }

  /** Whether {@code host} (as written in a URL, IPv6 in brackets or not) is a loopback host. */
  public static boolean isLoopback(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    if (h.endsWith(".")) {
      h = h.substring(0, h.length() - 1);
    }
    return h.equals("localhost") || h.equals("::1") || h.equals("0:0:0:0:0:0:0:1")
        || IPV4_LOOPBACK.matcher(h).matches();
  }
}
