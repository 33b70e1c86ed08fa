-- One row per rollout key: the current state, with its revision for compare-and-set.
-- The JSON is StateJson's form (the same as the file store's state.json), and status, rollout_id and version are
-- copied out of it so that people can query the table.
CREATE TABLE rollout_state (
    service     text        NOT NULL,
    environment text        NOT NULL,
    revision    bigint      NOT NULL CHECK (revision > 0),
    rollout_id  text,
    version     text,
    status      text,
    state       json        NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (service, environment)
);

-- The append-only journal, across every rollout ever made on a key, seq orders it in commit order.
CREATE TABLE rollout_event (
    seq         bigserial   PRIMARY KEY,
    service     text        NOT NULL,
    environment text        NOT NULL,
    revision    bigint      NOT NULL,
    rollout_id  text,
    type        text        NOT NULL,
    at          timestamptz,
    event       json        NOT NULL
);

CREATE INDEX rollout_event_by_key ON rollout_event (service, environment, seq);
