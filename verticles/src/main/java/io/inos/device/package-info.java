/**
 * Devices: the MQTT clients that log in with a user name and password stored in PostgreSQL (table {@code device},
 * migrations V4 and V5) instead of a JWT, and the service that manages them.
 *
 * <h2>The device service</h2>
 * {@link io.inos.device.DeviceVerticle} serves {@code device:{action}:v1:requested} (REST:
 * {@code POST /api/device_ops {"action": …}}). The caller is the request's user id, which every door forces to the
 * authenticated client; guests and requests without a user are refused UNAUTHENTICATED.
 * <ul>
 *   <li>{@code register_device} {@code {username, user_id?, roles?, campaigns?, metadata?, owner_id?}} → a device
 *   owned by the caller, acting as {@code device_<username>} (or as the caller, {@code user_id} = the caller). The
 *   answer is {@code {device_id, device, secret}}: the secret (256 random bits, base64url) is made by the service,
 *   only its BCrypt hash is stored, and the answer is the one place it is ever shown — the ledger records the answer
 *   without it ({@link io.inos.device.DeviceSecrets#redacting}). The answer is an event like any other, though: it is
 *   published to the type's subscribers and to {@code user:{caller}}, so do not bind
 *   {@code device:register_device:v1:success} to a broker, a Redis relay or a history scope that outlives it.
 *   ALREADY_EXISTS when the user name is taken.</li>
 *   <li>{@code disable_device} / {@code enable_device} {@code {device_id | username}} → {@code {device}}. A disabled
 *   device loses its live MQTT connections at once, on every node ({@link io.inos.device.DeviceDisconnects}:
 *   DISCONNECT 0x98 Administrative action in MQTT 5, a close in 3.1.1), and its next CONNECT is refused (not
 *   authorized: 0x05 / 0x87).</li>
 *   <li>{@code list_devices} {@code {page?, page_size?, owner_id?, all?}} → {@code {devices, total_count, page,
 *   page_size, total_pages}}, the caller's devices, newest first.</li>
 * </ul>
 * Only the owner of a device, or an admin, may disable, enable or list it (PERMISSION_DENIED otherwise); only an admin
 * gives a device another user's identity, roles or campaigns (the device acts with them on the bridge), registers one
 * for another owner, or lists another owner's devices ({@code owner_id}) or all ({@code "all": true}). Admins are
 * named by user id ({@code INOS_DEVICE_ADMINS}), not by role: a request carries its sender's user id, forced by the
 * doors, but not its roles, and a role written in the event would be the client's own word. The bridge's default
 * rules permit only campaign requests: permit {@code device:[a-z_]+:v1:requested} inbound
 * ({@code INOS_BRIDGE_RULES}) for clients to reach the service.
 *
 * <h2>In code, and the login</h2>
 * <ul>
 *   <li>{@link io.inos.device.DeviceRegistry} registers devices with a password of the caller's choice (hashed with
 *   BCrypt on a worker thread) and enables or disables them, for an operator's tool or a test, on the server's
 *   database ({@code new DeviceRepository(server.database()::pool)}); it has no owner and does not disconnect.</li>
 *   <li>{@link io.inos.device.PgDeviceAuthenticator} is the MQTT adapter's
 *   {@link io.inos.adapters.mqtt.MqttAuthenticator} for them: it checks the password off the event loop, in the same
 *   time for an unknown user name (a dummy hash is checked), and on success mints a short-lived token of the
 *   bridge's own issuer for the device's user id, roles and campaigns, so the bridge's rules apply to the device as
 *   to any user.</li>
 * </ul>
 */
package io.inos.device;
