package com.gongpipeline.gong;

import java.io.IOException;
import java.io.Reader;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Base64;
import java.util.Objects;
import java.util.Properties;

/**
 * Where a Gong access key and its secret come from. Gong API v2 uses HTTP Basic auth with
 * {@code accessKey:accessKeySecret} (created by a technical administrator in Gong).
 *
 * <p>This object is part of the Serializable {@link GongClientConfig} that travels with a Beam
 * pipeline graph, so it stores a <em>reference</em> to the secret (environment variable names or a
 * file path) and resolves it only when a client is built in a worker ({@code @Setup}), not while the
 * graph is constructed. {@link #of} stores the values themselves and is meant for tests and the
 * in-process simulator only.
 *
 * <p>The secret never appears in {@link #toString()} or in any error message.
 */
public final class GongCredentials implements Serializable {

  private static final long serialVersionUID = 1L;

  /** Default environment variable holding the access key id. */
  public static final String ENV_ACCESS_KEY = "GONG_ACCESS_KEY";
  /** Default environment variable holding the access key secret. */
  public static final String ENV_ACCESS_KEY_SECRET = "GONG_ACCESS_KEY_SECRET";
  /** Property names in a credentials file. */
  public static final String FILE_ACCESS_KEY = "accessKey";

  public static final String FILE_ACCESS_KEY_SECRET = "accessKeySecret";

  private enum Source {
    ENV,
    FILE,
    LITERAL
  }

  private final Source source;
  /** ENV: variable name of the key; FILE: the path; LITERAL: the key itself. */
  private final String first;
  /** ENV: variable name of the secret; FILE: unused; LITERAL: the secret itself. */
  private final String second;

  private GongCredentials(Source source, String first, String second) {
    this.source = source;
    this.first = first;
    this.second = second;
  }

  /** Reads {@code GONG_ACCESS_KEY} and {@code GONG_ACCESS_KEY_SECRET} when a client is built. */
  public static GongCredentials fromEnv() {
    return fromEnv(ENV_ACCESS_KEY, ENV_ACCESS_KEY_SECRET);
  }

  /** Reads the two named environment variables when a client is built. */
  public static GongCredentials fromEnv(String accessKeyVariable, String secretVariable) {
    requireNonBlank(accessKeyVariable, "accessKeyVariable");
    requireNonBlank(secretVariable, "secretVariable");
    return new GongCredentials(Source.ENV, accessKeyVariable, secretVariable);
  }

  /**
   * Reads a properties file with {@code accessKey} and {@code accessKeySecret} when a client is
   * built; the file must exist on the worker, not (only) where the pipeline is launched.
   */
  public static GongCredentials fromFile(Path propertiesFile) {
    Objects.requireNonNull(propertiesFile, "propertiesFile");
    return new GongCredentials(Source.FILE, propertiesFile.toString(), "");
  }

  /**
   * Literal key and secret, for tests and the in-process simulator. The secret is then part of the
   * serialized pipeline; use {@link #fromEnv()} or {@link #fromFile(Path)} in production.
   */
  public static GongCredentials of(String accessKey, String accessKeySecret) {
    requireNonBlank(accessKey, "accessKey");
    requireNonBlank(accessKeySecret, "accessKeySecret");
    return new GongCredentials(Source.LITERAL, accessKey, accessKeySecret);
  }

  /** The access key id (not secret); resolves the source. */
  public String accessKey() {
    return resolve()[0];
  }

  /**
   * The {@code Authorization} header value, {@code Basic base64(key:secret)}; resolves the source.
   * Callers must never log it.
   */
  public String basicAuthorizationHeader() {
    String[] pair = resolve();
    return basicHeader(pair[0], pair[1]);
  }

  static String basicHeader(String key, String secret) {
    String raw = key + ":" + secret;
    return "Basic " + Base64.getEncoder().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
  }

  /** Returns {key, secret}, read now from wherever this points. */
  String[] resolve() {
    switch (source) {
      case LITERAL:
        return new String[] {first, second};
      case ENV:
        {
          String key = System.getenv(first);
          String secret = System.getenv(second);
          boolean keyMissing = key == null || key.isBlank();
          boolean secretMissing = secret == null || secret.isBlank();
          if (keyMissing || secretMissing) {
            StringBuilder missing = new StringBuilder();
            if (keyMissing) {
              missing.append(first);
            }
            if (secretMissing) {
              missing.append(missing.length() > 0 ? ", " : "").append(second);
            }
            throw new IllegalStateException(
                "Gong credentials: environment variable(s) not set or empty: "
                    + missing
                    + " (set "
                    + first
                    + " and "
                    + second
                    + " on every worker)");
          }
          return new String[] {key.trim(), secret.trim()};
        }
      case FILE:
        {
          Path path = Paths.get(first);
          Properties props = new Properties();
          try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            props.load(reader);
          } catch (IOException e) {
            throw new IllegalStateException(
                "Gong credentials: cannot read credentials file " + path + ": " + e, e);
          }
          String key = props.getProperty(FILE_ACCESS_KEY);
          String secret = props.getProperty(FILE_ACCESS_KEY_SECRET);
          if (key == null || key.isBlank() || secret == null || secret.isBlank()) {
            throw new IllegalStateException(
                "Gong credentials: file "
                    + path
                    + " must define non-empty properties "
                    + FILE_ACCESS_KEY
                    + " and "
                    + FILE_ACCESS_KEY_SECRET);
          }
          return new String[] {key.trim(), secret.trim()};
        }
      default:
        throw new AssertionError(source);
    }
  }

  private static void requireNonBlank(String value, String name) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " must be non-empty");
    }
  }

  /** Never shows the secret: the key id (or where it will be read from) and {@code ****}. */
  @Override
  public String toString() {
    switch (source) {
      case LITERAL:
        return "GongCredentials{accessKey=" + first + ", secret=****}";
      case ENV:
        return "GongCredentials{env=" + first + ", secret=env:" + second + " (****)}";
      case FILE:
        return "GongCredentials{file=" + first + ", secret=****}";
      default:
        throw new AssertionError(source);
    }
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof GongCredentials)) {
      return false;
    }
    GongCredentials that = (GongCredentials) o;
    return source == that.source && first.equals(that.first) && second.equals(that.second);
  }

  @Override
  public int hashCode() {
    return Objects.hash(source, first, second);
  }
}
