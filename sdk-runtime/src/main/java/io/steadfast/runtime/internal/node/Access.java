package io.steadfast.runtime.internal.node;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import org.jspecify.annotations.Nullable;

/**
 * How a caller reaches members' endpoints: over TLS with this context (its trust, and its client
 * certificate if it has one), adding these headers (a bearer token, the member secret) to every
 * request. Members use it to call each other; remote clients to call members.
 *
 * @param tls the TLS context, or null for plain HTTP
 * @param headers the headers to add, asked afresh for each request (a token may be renewed)
 */
public record Access(@Nullable SSLContext tls, Supplier<Map<String, String>> headers) {

  /** Plain HTTP, no headers. */
  public static Access plain() {
    return new Access(null, Map::of);
  }

  /** The scheme the members' endpoints use under this access. */
  public String scheme() {
    return tls == null ? "http" : "https";
  }

  /** An HTTP client for this access. */
  public HttpClient client(Duration connectTimeout) {
    HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(connectTimeout);
    if (tls != null) {
      builder.sslContext(tls);
    }
    return builder.build();
  }

  /** Adds this access's headers to {@code request}. */
  public HttpRequest.Builder sign(HttpRequest.Builder request) {
    headers.get().forEach(request::header);
    return request;
  }
}
