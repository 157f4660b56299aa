//! CostExplorer: usages, bills and payments, and the rating and bill rebuilds behind them;
//! cost analysis, its forecast and the FOCUS export.

mod bills;
pub mod cost_analysis;
mod cost_input;
mod focus;
pub mod rating;
mod rebuild;
mod usages;
