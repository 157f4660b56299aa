//! Planned compute coverage: which contract, if any, covers a server-hour.
//!
//! A contract covers hourly usage of servers of its account, service, server type and OS
//! (its current server type), during its coverage window: from the first term's start (KST
//! midnight) to the end of its current term, or to its cancellation. Each contract covers at
//! most one server in a given hour, and each server-hour is covered by at most one contract:
//! records are assigned in the order they are stored, to the matching contract with the
//! lowest contract number that is free in that hour. Covered hours are rated at the PP price
//! of the contract's type; the rest at PG. Contract hours nothing used are charged at month
//! close as non-applied.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Duration, Utc};

use crate::catalog::{Catalog, Offering};
use crate::ids::AccountId;
use crate::month::kst_midnight;
use crate::planned_compute::{ContractState, PlannedCompute};
use crate::rating::UsageUnit;
use crate::usage::CheckedUsage;

/// What the covered-resource report's rows can be sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CoverageSortField {
    /// The contract (its number).
    ContractId,
    /// The resource covered (idle-hour rows have none and come first ascending).
    ResourceName,
    /// Covered hours.
    UsedTime,
}

impl crate::listing::SortField for CoverageSortField {
    const FIELDS: &'static [(&'static str, Self)] = &[
        ("contract_id", Self::ContractId),
        ("resource_name", Self::ResourceName),
        ("used_time", Self::UsedTime),
    ];
}

/// What coverage needs of a contract.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CoverageContract {
    /// Contract sequence number (its order).
    pub seq: i64,
    /// Contract number.
    pub contract_id: String,
    /// Contract type code (which PP price).
    pub contract_type: String,
    /// First covered instant.
    pub from: DateTime<Utc>,
    /// First instant no longer covered.
    pub until: DateTime<Utc>,
}

/// What a server-hour is matched on: account, service, server type, OS type.
pub type CoverageKey = (AccountId, String, String, String);

impl CoverageContract {
    /// The coverage window of `contract` (`seq` is its number).
    pub fn of(contract: &PlannedCompute, seq: i64) -> Self {
        let from = kst_midnight(contract.first_contract_start);
        let term_end = kst_midnight(contract.term.end_date) + Duration::days(1);
        let until = match (contract.state, contract.cancelled_at) {
            (ContractState::Terminated, Some(cancelled)) => cancelled.min(term_end),
            _ => term_end,
        };
        Self {
            seq,
            contract_id: contract.contract_id.clone(),
            contract_type: contract.term.contract_type.clone(),
            from,
            until: until.max(from),
        }
    }

    /// True when the hour starting at `hour` is in the window.
    pub fn covers(&self, hour: DateTime<Utc>) -> bool {
        self.from <= hour && hour < self.until
    }

    /// Hours of the window inside `[start, end)`.
    pub fn hours_within(&self, start: DateTime<Utc>, end: DateTime<Utc>) -> i64 {
        let from = self.from.max(start);
        let until = self.until.min(end);
        if until <= from {
            0
        } else {
            (until - from).num_hours()
        }
    }
}

/// Contracts by what they cover, and which of their hours are taken.
#[derive(Debug, Clone, Default)]
pub struct CoverageBook {
    /// Contracts of one key, in contract order.
    groups: Vec<(CoverageKey, Vec<CoverageContract>)>,
    /// Group indices by account (an account has a few keys at most).
    by_account: HashMap<AccountId, Vec<usize>>,
    /// `(contract seq, hour start in microseconds)` already covering something.
    taken: HashSet<(i64, i64)>,
    /// Per group and hour, the first contract position not yet known to be taken or out of
    /// force: positions before it never need looking at again for that hour.
    cursor: HashMap<(usize, i64), usize>,
    /// Pairs taken since the book was loaded (to be stored).
    added: Vec<(i64, i64)>,
}

impl CoverageBook {
    /// A book of `contracts` (with their keys).
    pub fn new(contracts: impl IntoIterator<Item = (CoverageKey, CoverageContract)>) -> Self {
        let mut by_key: HashMap<CoverageKey, Vec<CoverageContract>> = HashMap::new();
        for (key, contract) in contracts {
            by_key.entry(key).or_default().push(contract);
        }
        let mut book = Self::default();
        let mut groups: Vec<_> = by_key.into_iter().collect();
        groups.sort_by(|a, b| a.0.cmp(&b.0));
        for (key, mut list) in groups {
            list.sort_by_key(|contract| contract.seq);
            book.by_account
                .entry(key.0.clone())
                .or_default()
                .push(book.groups.len());
            book.groups.push((key, list));
        }
        book
    }

    /// True when no contract could cover anything.
    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }

    /// Marks `(contract seq, hour micros)` pairs as taken (loaded from storage).
    pub fn mark_taken(&mut self, pairs: impl IntoIterator<Item = (i64, i64)>) {
        self.taken.extend(pairs);
    }

    /// The contract that covers the server-hour of `key` starting at `hour`, taking the
    /// hour: the matching contract with the lowest number that is in force and free then.
    /// Amortized constant time: each contract is looked at once per hour.
    pub fn assign(
        &mut self,
        key: (&AccountId, &str, &str, &str),
        hour: DateTime<Utc>,
    ) -> Option<&CoverageContract> {
        let (account, service, server_type, os_type) = key;
        let group = *self.by_account.get(account)?.iter().find(|idx| {
            let (k, _) = &self.groups[**idx];
            k.1 == service && k.2 == server_type && k.3 == os_type
        })?;
        let micros = hour.timestamp_micros();
        let contracts = &self.groups[group].1;
        let position = self.cursor.entry((group, micros)).or_insert(0);
        while let Some(contract) = contracts.get(*position) {
            *position += 1;
            if contract.covers(hour) && self.taken.insert((contract.seq, micros)) {
                self.added.push((contract.seq, micros));
                return Some(contract);
            }
        }
        None
    }

    /// The pairs taken since loading, emptied.
    pub fn take_added(&mut self) -> Vec<(i64, i64)> {
        std::mem::take(&mut self.added)
    }
}

/// Covers what `book` can of `usages`, in order: a covered record is re-priced at the PP
/// price of its contract's type (offering PP). Returns each record's contract number.
/// Coverable: hourly usage (at most one hour long) of a billing item of a planned compute
/// service, with `server_type` and `os_type` attributes, priced PG.
pub fn apply_coverage(
    catalog: &Catalog,
    book: &mut CoverageBook,
    usages: &mut [CheckedUsage],
) -> Vec<Option<String>> {
    let mut contracts = vec![None; usages.len()];
    if book.is_empty() {
        return contracts;
    }
    for (usage, contract_id) in usages.iter_mut().zip(contracts.iter_mut()) {
        if usage.offering != Offering::PayAsYouGo
            || usage.unit != UsageUnit::Hour
            || usage.input.period_end - usage.input.period_start > Duration::hours(1)
        {
            continue;
        }
        let Some(item) = catalog.billing_item(&usage.input.billing_item_id) else {
            continue;
        };
        let covered = catalog
            .service(&item.service_id)
            .is_some_and(|s| s.planned_compute);
        let attributes = &usage.input.attributes;
        let (Some(server_type), Some(os_type), true) = (
            attributes.get("server_type"),
            attributes.get("os_type"),
            covered,
        ) else {
            continue;
        };
        let key = (
            &usage.account_id,
            item.service_id.as_str(),
            server_type.as_str(),
            os_type.as_str(),
        );
        let Some(contract) = book.assign(key, usage.input.period_start) else {
            continue;
        };
        let price =
            catalog.price_index_for(&item.id, Offering::PlannedCompute, |name| match name {
                "contract_type" => Some(contract.contract_type.as_str()),
                "region" => Some(usage.input.region.as_str()),
                other => attributes.get(other).map(String::as_str),
            });
        if let Ok(index) = price {
            usage.price_index = index;
            usage.offering = Offering::PlannedCompute;
            *contract_id = Some(contract.contract_id.clone());
        }
    }
    contracts
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn at(hours: i64) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-10-01T00:00:00+09:00")
            .unwrap()
            .with_timezone(&Utc)
            + Duration::hours(hours)
    }

    fn key(account: u8, server: &str) -> CoverageKey {
        (
            AccountId::from_bytes([account; 16]),
            "VIRTUAL_SERVER".into(),
            server.into(),
            "OPEN_SOURCE".into(),
        )
    }

    fn r(k: &CoverageKey) -> (&AccountId, &str, &str, &str) {
        (&k.0, k.1.as_str(), k.2.as_str(), k.3.as_str())
    }

    fn contract(seq: i64, from: i64, until: i64) -> CoverageContract {
        CoverageContract {
            seq,
            contract_id: format!("C{seq:09}"),
            contract_type: "01".into(),
            from: at(from),
            until: at(until),
        }
    }

    #[test]
    fn each_hour_goes_to_the_first_free_contract() {
        let mut book = CoverageBook::new([
            (key(1, "s1v1m2"), contract(2, 0, 100)),
            (key(1, "s1v1m2"), contract(1, 10, 100)),
        ]);
        let k = key(1, "s1v1m2");
        assert_eq!(
            book.assign(r(&k), at(5)).map(|c| c.seq),
            Some(2),
            "contract 1 starts later"
        );
        assert_eq!(
            book.assign(r(&k), at(5)),
            None,
            "one server per contract and hour"
        );
        assert_eq!(book.assign(r(&k), at(20)).map(|c| c.seq), Some(1));
        assert_eq!(book.assign(r(&k), at(20)).map(|c| c.seq), Some(2));
        assert_eq!(book.assign(r(&k), at(20)), None);
        assert_eq!(book.assign(r(&k), at(100)), None, "the window is over");
        assert_eq!(
            book.assign(r(&key(1, "s1v2m4")), at(20)),
            None,
            "other server types"
        );
        assert_eq!(
            book.assign(r(&key(2, "s1v1m2")), at(20)),
            None,
            "other accounts"
        );
        assert_eq!(book.take_added().len(), 3);
    }

    proptest! {
        #[test]
        fn no_hour_is_covered_twice_and_matches_are_exact(
            contracts in proptest::collection::vec((0u8..3, 0usize..2, 0i64..48, 1i64..48), 0..8),
            hours in proptest::collection::vec((0u8..3, 0usize..2, 0i64..96), 0..200),
            taken in proptest::collection::vec((0i64..8, 0i64..96), 0..10),
        ) {
            let servers = ["s1v1m2", "s1v2m4"];
            let list: Vec<(CoverageKey, CoverageContract)> = contracts
                .iter()
                .enumerate()
                .map(|(idx, (account, server, from, length))| {
                    (key(*account, servers[*server]), contract(idx as i64, *from, from + length))
                })
                .collect();
            let mut book = CoverageBook::new(list.clone());
            book.mark_taken(taken.iter().map(|(seq, hour)| (*seq, at(*hour).timestamp_micros())));
            let mut seen: HashSet<(i64, i64)> = taken.iter().map(|(seq, hour)| (*seq, at(*hour).timestamp_micros())).collect();
            for (account, server, hour) in hours {
                let k = key(account, servers[server]);
                let request = (&k.0, k.1.as_str(), k.2.as_str(), k.3.as_str());
                if let Some(chosen) = book.assign(request, at(hour)).cloned() {
                    prop_assert!(seen.insert((chosen.seq, at(hour).timestamp_micros())), "an hour of a contract twice");
                    let (contract_key, _) = list.iter().find(|(_, c)| c.seq == chosen.seq).unwrap();
                    prop_assert_eq!(contract_key, &k, "a mismatching server");
                    prop_assert!(chosen.covers(at(hour)));
                } else {
                    // Nothing free: every matching contract in force is taken that hour.
                    for (contract_key, c) in &list {
                        if contract_key == &k && c.covers(at(hour)) {
                            prop_assert!(seen.contains(&(c.seq, at(hour).timestamp_micros())));
                        }
                    }
                }
            }
        }
    }
}
