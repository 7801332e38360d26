package io.inos.server;

import io.inos.adapters.bridge.Bridge;
import io.inos.server.config.BridgeRulesSource;
import io.inos.server.config.InosSetting;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;

/**
 * Reloads the bridge's rules when their file ({@code INOS_BRIDGE_RULES}) changes, without a restart. A file that does
 * not load keeps the rules in force, with an error in the log naming the setting; the next good version is taken.
 */
final class BridgeRulesWatcher {

  /** How often the file's modification time is read: cheap, and operators expect a change within seconds. */
  static final long CHECK_MS = 1_000;

  private static final Logger LOG = LoggerFactory.getLogger(BridgeRulesWatcher.class);

  private final Vertx vertx;
  private final Path file;
  private final Bridge bridge;
  private final long timer;
  private long lastModified;
  private long lastSize;
  private boolean checking;

  private BridgeRulesWatcher(Vertx vertx, Path file, Bridge bridge) {
    this.vertx = vertx;
    this.file = file;
    this.bridge = bridge;
    this.timer = vertx.setPeriodic(CHECK_MS, id -> check());
  }

  /** Starts watching; the rules loaded at start-up are the ones in the file now. */
  static BridgeRulesWatcher start(Vertx vertx, Path file, Bridge bridge) {
    BridgeRulesWatcher watcher = new BridgeRulesWatcher(vertx, file, bridge);
    vertx.fileSystem().props(file.toString()).onSuccess(props -> {
      watcher.lastModified = props.lastModifiedTime();
      watcher.lastSize = props.size();
    });
    LOG.info("bridge rules: watching {} for changes", file);
    return watcher;
  }

  void stop() {
    vertx.cancelTimer(timer);
  }

  private void check() {
    if (checking) {
      return;
    }
    checking = true;
    vertx.fileSystem().props(file.toString())
      .compose(props -> {
        // size too: a rewrite within the file system's timestamp granularity keeps the time
        if (props.lastModifiedTime() == lastModified && props.size() == lastSize) {
          return io.vertx.core.Future.succeededFuture();
        }
        lastModified = props.lastModifiedTime();
        lastSize = props.size();
        return vertx.executeBlocking(() -> BridgeRulesSource.read(file), false)
          .compose(this::reload);
      })
      .onComplete(ar -> {
        checking = false;
        if (ar.failed()) {
          LOG.error("{} ({}): {} {}; the rules in force stay", InosSetting.BRIDGE_RULES.env(),
            InosSetting.BRIDGE_RULES.key(), file, ar.cause().getMessage());
        }
      });
  }

  private io.vertx.core.Future<Void> reload(JsonObject rules) {
    return bridge.reloadRules(rules).onSuccess(v -> LOG.info("bridge rules: reloaded from {}", file));
  }
}
