package io.inos.adapters.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The OpenAPI 3.1 document of the REST surface (ops, events, the SSE stream, health, ready, metrics; the error body
 * and the canonical envelope), served at {@code GET {apiPrefix}/openapi.json}. It is a static resource,
 * {@value #RESOURCE}, read once when the door is created.
 */
public final class OpenApiDoc {

  /** The classpath resource holding the document. */
  public static final String RESOURCE = "openapi/inos-rest.json";

  private final String path;
  private final Buffer document;

  private OpenApiDoc(String path, Buffer document) {
    this.path = path;
    this.document = document;
  }

  /** Reads the document (call it at start-up, not on an event loop that serves clients). */
  public static OpenApiDoc create(RestDoorOptions options) {
    return new OpenApiDoc(options.getApiPrefix() + "/openapi.json", Buffer.buffer(read()));
  }

  /** @return the document as JSON */
  public static JsonObject document() {
    return new JsonObject(Buffer.buffer(read()));
  }

  private static byte[] read() {
    try (InputStream in = OpenApiDoc.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("the OpenAPI document " + RESOURCE + " is missing from the classpath");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Adds {@code GET {apiPrefix}/openapi.json}. */
  public void mount(Router router) {
    router.get(path).handler(ctx -> ctx.response()
      .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
      .putHeader(HttpHeaders.CACHE_CONTROL, "public, max-age=300")
      .end(document));
  }
}
