package com.gongpipeline.gong;

import com.google.api.client.http.HttpTransport;
import com.google.api.client.http.LowLevelHttpRequest;
import com.google.api.client.http.LowLevelHttpResponse;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.TimeUnit;
import org.apache.http.Header;
import org.apache.http.HttpEntity;
import org.apache.http.HttpEntityEnclosingRequest;
import org.apache.http.client.config.RequestConfig;
import org.apache.http.client.methods.CloseableHttpResponse;
import org.apache.http.client.methods.HttpRequestBase;
import org.apache.http.client.methods.RequestBuilder;
import org.apache.http.config.RegistryBuilder;
import org.apache.http.conn.socket.ConnectionSocketFactory;
import org.apache.http.conn.socket.PlainConnectionSocketFactory;
import org.apache.http.conn.ssl.SSLConnectionSocketFactory;
import org.apache.http.entity.ByteArrayEntity;
import org.apache.http.entity.ContentType;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClients;
import org.apache.http.impl.conn.PoolingHttpClientConnectionManager;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The Gong transport: every request Gong sees is one our rate limiter and daily ledger let through.
 *
 * <p>The JDK's clients re-send a request on their own when the server drops the connection before
 * answering: {@code HttpURLConnection} (google-http-client's {@code NetHttpTransport}) re-sends
 * any GET once, and a POST too unless {@code sun.net.http.retryPost=false}; {@code
 * java.net.http.HttpClient} re-sends GETs on a kept-alive connection. A re-send passes neither the
 * limiter nor the ledger, so on Gong's 3 requests per second it can cause a 429 (it did, on the
 * strict simulator, on a Flink cluster) and it makes the ledger under-count. This transport runs
 * Apache HttpClient 4.5 with automatic retries, redirects, cookies and content decompression off
 * (google-http-client handles gzip, {@link GongRetryPolicy} is the one retry loop), pooled
 * connections checked for staleness after 500 ms idle, proxies and TLS from the JVM's system
 * properties.
 */
final class OneShotHttpTransport extends HttpTransport {

  /** How long a pooled connection may sit idle before it is checked before reuse. */
  private static final int VALIDATE_AFTER_IDLE_MILLIS = 500;
  /** Enough for every DoFn thread of one worker; Gong's rate allows 3 at a time anyway. */
  private static final int MAX_CONNECTIONS = 16;
  /** The bytes drained to return a connection to the pool; beyond that it is closed instead. */
  private static final int MAX_DRAIN_BYTES = 64 * 1024;

  private final CloseableHttpClient client;

  OneShotHttpTransport() {
    PoolingHttpClientConnectionManager pool = new PoolingHttpClientConnectionManager(
        RegistryBuilder.<ConnectionSocketFactory>create()
            .register("http", PlainConnectionSocketFactory.getSocketFactory())
            .register("https", SSLConnectionSocketFactory.getSystemSocketFactory())
            .build(),
        null, null, null, 60, TimeUnit.SECONDS);
    pool.setMaxTotal(MAX_CONNECTIONS);
    pool.setDefaultMaxPerRoute(MAX_CONNECTIONS);
    pool.setValidateAfterInactivity(VALIDATE_AFTER_IDLE_MILLIS);
    this.client = HttpClients.custom()
        .useSystemProperties()
        .setConnectionManager(pool)
        .disableAutomaticRetries()
        .disableRedirectHandling()
        .disableCookieManagement()
        .disableContentCompression()
        .disableAuthCaching()
        .build();
  }

  @Override
  public boolean supportsMethod(String method) {
    return true;
  }

  @Override
  protected LowLevelHttpRequest buildRequest(String method, String url) {
    return new Request(method, url);
  }

  @Override
  public void shutdown() throws IOException {
    client.close();
  }

  private final class Request extends LowLevelHttpRequest {
    private final RequestBuilder builder;
    private RequestConfig config = RequestConfig.DEFAULT;

    Request(String method, String url) {
      this.builder = RequestBuilder.create(method).setUri(url);
    }

    @Override
    public void addHeader(String name, String value) {
      builder.addHeader(name, value);
    }

    @Override
    public void setTimeout(int connectTimeout, int readTimeout) {
      config = RequestConfig.custom()
          .setConnectTimeout(connectTimeout)
          .setConnectionRequestTimeout(connectTimeout)
          .setSocketTimeout(readTimeout)
          .setRedirectsEnabled(false)
          .build();
    }

    @Override
    public LowLevelHttpResponse execute() throws IOException {
      if (getStreamingContent() != null) {
        // Gong's request bodies are small JSON filters: buffered, so the length is exact.
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        getStreamingContent().writeTo(body);
        ByteArrayEntity entity = new ByteArrayEntity(body.toByteArray(),
            getContentType() == null ? null : ContentType.parse(getContentType()));
        if (getContentEncoding() != null) {
          entity.setContentEncoding(getContentEncoding());
        }
        builder.setEntity(entity);
      }
      HttpRequestBase request = (HttpRequestBase) builder.setConfig(config).build();
      if (request instanceof HttpEntityEnclosingRequest enclosing
          && enclosing.getEntity() == null) {
        enclosing.setEntity(new ByteArrayEntity(new byte[0]));
      }
      return new Response(client.execute(request));
    }
  }

  private static final class Response extends LowLevelHttpResponse {
    private final CloseableHttpResponse response;
    private final Header[] headers;
    private @Nullable InputStream content;

    Response(CloseableHttpResponse response) {
      this.response = response;
      this.headers = response.getAllHeaders();
    }

    /** The entity's one stream (Apache hands out a new wrapper of it per call). */
    private @Nullable InputStream rawContent() throws IOException {
      HttpEntity entity = response.getEntity();
      if (content == null && entity != null) {
        content = entity.getContent();
      }
      return content;
    }

    @Override
    public @Nullable InputStream getContent() throws IOException {
      InputStream raw = rawContent();
      if (raw == null) {
        return null;
      }
      // Closing Apache's entity stream reads the rest of the body, however long: closing is
      // left to disconnect(), which bounds what it reads.
      return new FilterInputStream(raw) {
        @Override
        public void close() {}
      };
    }

    @Override
    public @Nullable String getContentEncoding() {
      HttpEntity entity = response.getEntity();
      Header h = entity == null ? null : entity.getContentEncoding();
      return h == null ? null : h.getValue();
    }

    @Override
    public long getContentLength() {
      HttpEntity entity = response.getEntity();
      return entity == null ? 0 : entity.getContentLength();
    }

    @Override
    public @Nullable String getContentType() {
      HttpEntity entity = response.getEntity();
      Header h = entity == null ? null : entity.getContentType();
      return h == null ? null : h.getValue();
    }

    @Override
    public String getStatusLine() {
      return response.getStatusLine().toString();
    }

    @Override
    public int getStatusCode() {
      return response.getStatusLine().getStatusCode();
    }

    @Override
    public String getReasonPhrase() {
      return response.getStatusLine().getReasonPhrase();
    }

    @Override
    public int getHeaderCount() {
      return headers.length;
    }

    @Override
    public String getHeaderName(int index) {
      return headers[index].getName();
    }

    @Override
    public String getHeaderValue(int index) {
      return headers[index].getValue();
    }

    /**
     * Returns the connection to the pool when the rest of the body is short (read to its end),
     * otherwise closes it: an abandoned large body is never read just to keep a connection.
     */
    @Override
    public void disconnect() throws IOException {
      try {
        InputStream in = rawContent();
        if (in != null) {
          byte[] buf = new byte[8192];
          long left = MAX_DRAIN_BYTES;
          int n;
          while (left > 0 && (n = in.read(buf, 0, (int) Math.min(buf.length, left))) >= 0) {
            left -= n;
          }
        }
      } catch (IOException e) {
        // the connection is closed below; nothing to return to the pool
      } finally {
        response.close();
      }
    }
  }
}
