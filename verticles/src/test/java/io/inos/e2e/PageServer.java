package io.inos.e2e;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.FileSystemAccess;
import io.vertx.ext.web.handler.StaticHandler;

import java.nio.file.Path;

/**
 * The routes of the browser test page and the unmodified client libraries, as npm installed them, mounted on
 * INOS's own router (so the page and {@code /eventbus} share one origin, as in production):
 * <ul>
 *   <li>{@code {prefix}} and {@code {prefix}bridge-page.js}: {@code e2e/page/};</li>
 *   <li>{@code {prefix}vendor/sockjs-client/sockjs.min.js}: {@code e2e/node_modules/sockjs-client/dist/};</li>
 *   <li>{@code {prefix}vendor/eventbus-bridge-client/vertx-eventbus.js}:
 *   {@code e2e/node_modules/@vertx/eventbus-bridge-client.js/}.</li>
 * </ul>
 */
final class PageServer {

  /** Where INOS serves the page. */
  static final String MOUNT = "/e2e/";

  private PageServer() {
  }

  /** Adds the page and its scripts to {@code router} under {@code prefix} (ending with a slash). */
  static void mount(Router router, String prefix, Path e2eDir) {
    router.route(prefix + "vendor/sockjs-client/*").handler(files(e2eDir.resolve("node_modules/sockjs-client/dist")));
    router.route(prefix + "vendor/eventbus-bridge-client/*")
      .handler(files(e2eDir.resolve("node_modules/@vertx/eventbus-bridge-client.js")));
    router.route(prefix + "*").handler(files(e2eDir.resolve("page")));
  }

  private static StaticHandler files(Path dir) {
    // no caching: the files are read from the working tree, and a stale copy would hide an edit
    return StaticHandler.create(FileSystemAccess.ROOT, dir.toAbsolutePath().toString())
      .setCachingEnabled(false)
      .setIndexPage("index.html");
  }
}
