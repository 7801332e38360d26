package io.inos.adapters.http;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.CorsHandler;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The HTTP doors' cross-origin policy ({@link CorsOptions}) as a vertx-web {@link CorsHandler}. Mount it before the
 * routes it covers: a preflight ({@code OPTIONS} with {@code Origin} and {@code Access-Control-Request-Method}) from an
 * allowed origin is answered 204 with the allowed methods and headers; one from another origin is answered 403.
 * Without allowed origins nothing is mounted (same-origin only).
 */
public final class Cors {

  private final CorsOptions options;

  private Cors(CorsOptions options) {
    this.options = new CorsOptions(options);
  }

  public static Cors create(CorsOptions options) {
    return new Cors(options);
  }

  /** @return the handler, or {@code null} when no origin is allowed */
  public CorsHandler handler() {
    if (options.getAllowedOrigins().isEmpty()) {
      return null;
    }
    CorsHandler cors = CorsHandler.create();
    if (!options.getAllowedOrigins().contains("*")) {
      cors.addOrigins(options.getAllowedOrigins());
    }
    Set<HttpMethod> methods = new LinkedHashSet<>();
    options.getAllowedMethods().forEach(m -> methods.add(HttpMethod.valueOf(m)));
    return cors.allowedMethods(methods)
      .allowedHeaders(new LinkedHashSet<>(options.getAllowedHeaders()))
      .exposedHeaders(new LinkedHashSet<>(options.getExposedHeaders()))
      .allowCredentials(options.isAllowCredentials())
      .maxAgeSeconds(options.getMaxAgeSeconds());
  }

  /**
   * Adds the handler to every route of {@code router} under {@code pathPrefixes} (all routes when none is given).
   * Call it before mounting the doors it covers.
   */
  public void mount(Router router, String... pathPrefixes) {
    CorsHandler cors = handler();
    if (cors == null) {
      return;
    }
    if (pathPrefixes.length == 0) {
      router.route().handler(cors);
      return;
    }
    for (String prefix : pathPrefixes) {
      router.route(prefix + "/*").handler(cors);
    }
  }
}
