package io.inos.adapters.mqtt;

/**
 * The MQTT adapter could not open one of its listeners: the port is taken or not allowed, or the TLS listener's
 * certificate or key cannot be used. {@link #option()} names the option of {@link MqttAdapterOptions} to change, so
 * that whoever configured it can name their own setting.
 */
public final class MqttListenException extends IllegalStateException {

  private final String option;

  public MqttListenException(String option, String message, Throwable cause) {
    super(message, cause);
    this.option = option;
  }

  /** @return the option of {@link MqttAdapterOptions} at fault: {@code port}, {@code websocketPort} or {@code tlsPort} */
  public String option() {
    return option;
  }
}
