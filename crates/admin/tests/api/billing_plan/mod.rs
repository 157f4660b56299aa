//! BillingPlan: planned compute contracts, the catalogue they are ordered from, coverage and
//! cancellation.

pub mod planned_computes;
