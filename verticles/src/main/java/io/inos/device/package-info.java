/**
 * Devices: the MQTT clients that log in with a user name and password stored in PostgreSQL (table {@code device},
 * migration V4) instead of a JWT.
 *
 * <ul>
 *   <li>{@link io.inos.device.DeviceRegistry} registers devices (the password hashed with BCrypt on a worker
 *   thread) and enables or disables them. There is no Nexus service for it yet: an operator's tool or a test calls it
 *   in code, on the server's database ({@code new DeviceRepository(server.database()::pool)}).</li>
 *   <li>{@link io.inos.device.PgDeviceAuthenticator} is the MQTT adapter's
 *   {@link io.inos.adapters.mqtt.MqttAuthenticator} for them: it checks the password off the event loop, in the same
 *   time for an unknown user name (a dummy hash is checked), and on success mints a short-lived token of the
 *   bridge's own issuer for the device's user id, roles and campaigns, so the bridge's rules apply to the device as
 *   to any user.</li>
 * </ul>
 */
package io.inos.device;
