-- Planned compute coverage: the hours each contract has covered (one server per contract
-- and hour; see crates/domain/src/coverage.rs). `hour` is the covered hour's start in
-- microseconds since the epoch (UTC); `contract_seq` the contract's number.

CREATE TABLE coverage_hours (
    contract_seq BIGINT NOT NULL,
    hour         BIGINT NOT NULL,
    PRIMARY KEY (contract_seq, hour)
);

CREATE INDEX coverage_hours_by_hour ON coverage_hours (hour);
