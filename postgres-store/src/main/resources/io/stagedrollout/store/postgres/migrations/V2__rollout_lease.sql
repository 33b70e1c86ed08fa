-- One driver lease per rollout key (DESIGN.md "Drivers, leases and fencing"). The row is never deleted, so the
-- fencing token only ever grows; a fenced commit reads it FOR SHARE in its own transaction, a takeover updates it
-- FOR UPDATE, so the two never interleave. holder and effects are LeaseJson's form.
CREATE TABLE rollout_lease (
    service     text        NOT NULL,
    environment text        NOT NULL,
    token       bigint      NOT NULL CHECK (token > 0),
    holder      json        NOT NULL,
    rollout_id  text,
    acquired_at timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL,
    released    boolean     NOT NULL,
    effects     json        NOT NULL,
    PRIMARY KEY (service, environment)
);
