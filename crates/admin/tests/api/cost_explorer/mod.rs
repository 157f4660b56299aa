//! CostExplorer: usages, bills and payments, and the rating and bill rebuilds behind them.

mod bills;
pub mod rating;
mod rebuild;
mod usages;
