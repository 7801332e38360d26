package io.inos.server.config;

/**
 * A configuration value that cannot be used. Start-up stops with this exception; its message names the environment
 * variable, the config-file key and the offending value, e.g.
 * {@code INOS_HTTP_PORT (http.port): "abc" is not a port number (0-65535)}.
 */
public final class InosConfigException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /**
   * @param message the complete, operator-facing message
   */
  public InosConfigException(String message) {
    super(message);
  }

  /**
   * @param message the complete, operator-facing message
   * @param cause what went wrong underneath (an I/O or JSON error)
   */
  public InosConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
