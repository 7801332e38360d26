-- Campaigns. id is the public campaign id (0 is the default campaign, seeded below);
-- new campaigns take their id from campaign_id_seq, which starts at 1 so it never collides with 0.
CREATE SEQUENCE campaign_id_seq START WITH 1 MINVALUE 1;

CREATE TABLE campaign (
  id           bigint      PRIMARY KEY DEFAULT nextval('campaign_id_seq'),
  master_id    bigint      NOT NULL REFERENCES master (id),
  slug         text        NOT NULL UNIQUE,
  title        text        NOT NULL,
  description  text,
  status       text        NOT NULL DEFAULT 'active',
  -- the campaign service owns the state machine (draft, active, ...); no CHECK here to keep it free to grow
  state        text        NOT NULL DEFAULT 'draft',
  features     jsonb       NOT NULL DEFAULT '[]'::jsonb CHECK (jsonb_typeof(features) = 'array'),
  config       jsonb       NOT NULL DEFAULT '{}'::jsonb,
  metadata     jsonb       NOT NULL DEFAULT '{}'::jsonb,
  owner_id     text,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now()
);

ALTER SEQUENCE campaign_id_seq OWNED BY campaign.id;

CREATE INDEX campaign_master_id_idx ON campaign (master_id);
CREATE INDEX campaign_metadata_gin ON campaign USING gin (metadata);

-- The default campaign 0 and its master row. Flyway runs this once per database; the guards keep it harmless
-- should the rows already be there (e.g. restored from a dump taken before the schema history table).
WITH existing AS (
  SELECT master_id FROM campaign WHERE id = 0
), new_master AS (
  INSERT INTO master (type, name)
  SELECT 'campaign', 'ovasabi_website'
  WHERE NOT EXISTS (SELECT 1 FROM existing)
  RETURNING id
)
INSERT INTO campaign (id, master_id, slug, title, description, status, state)
SELECT 0, id, 'ovasabi_website', 'OVASABI Website', 'The default campaign', 'active', 'active'
FROM new_master
ON CONFLICT DO NOTHING;
