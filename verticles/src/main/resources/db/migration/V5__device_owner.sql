-- The user who registered a device through the device service (device:register_device): only they, or an admin,
-- may disable, enable or list it. NULL for devices registered in code (io.inos.device.DeviceRegistry) without one;
-- those only admins manage.
ALTER TABLE device ADD COLUMN owner_id text CHECK (owner_id IS NULL OR length(owner_id) > 0);

CREATE INDEX device_owner_id_idx ON device (owner_id, id);
