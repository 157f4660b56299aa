//! A month's bills as files: CSV with the API's exact decimal text, and Excel.
//!
//! Excel keeps numbers as binary doubles, so an amount is written as a number only when it
//! has at most 15 significant digits — then the file's text of the number is the decimal
//! itself and nothing is lost; a longer one is written as text. The last row holds each
//! category's total, summed exactly here (not an Excel formula), so the file agrees with the
//! API to the last won whatever opens it.

use rust_decimal::prelude::ToPrimitive as _;
use rust_decimal::Decimal;
use rust_xlsxwriter::{Format, Workbook};

use crate::bill_lines::{category, MonthBills, CATEGORIES};
use crate::format::decimal;

/// An Excel workbook's media type.
pub const CONTENT_TYPE: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// The columns before the amounts.
const LINE_COLUMNS: &[&str] = &[
    "bill_year_month",
    "id",
    "account_id",
    "service_category",
    "billing_item_id",
    "resource_id",
    "resource_name",
    "region",
    "contract_id",
    "order_status",
    "bill_state",
];

fn header() -> Vec<String> {
    let mut header: Vec<String> = LINE_COLUMNS.iter().map(|c| (*c).to_owned()).collect();
    header.extend(CATEGORIES.iter().map(|c| format!("{c}_krw")));
    header.push("amounts_usd".into());
    header
}

fn line_texts(bills: &MonthBills) -> Vec<(Vec<String>, Vec<String>)> {
    bills
        .lines
        .iter()
        .map(|bill| {
            let texts = vec![
                bill.bill_year_month.clone(),
                bill.id.clone(),
                bill.account_id.clone(),
                bill.service_category.clone(),
                bill.billing_item_id.clone(),
                bill.resource_id.clone(),
                bill.resource_name.clone(),
                bill.region.clone(),
                bill.contract_id.clone().unwrap_or_default(),
                bill.order_status.clone(),
                bill.bill_state.clone(),
            ];
            let mut amounts: Vec<String> = (0..CATEGORIES.len())
                .map(|idx| category(bill, idx).krw.clone())
                .collect();
            amounts.push(bill.amounts.usd.clone());
            (texts, amounts)
        })
        .collect()
}

fn total_texts(bills: &MonthBills) -> Vec<String> {
    let mut totals: Vec<String> = bills.totals.iter().map(Decimal::to_string).collect();
    totals.push(bills.total_usd.to_string());
    totals
}

/// The month as CSV.
pub fn bills_csv(bills: &MonthBills) -> Result<Vec<u8>, String> {
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(header()).map_err(|e| e.to_string())?;
    for (texts, amounts) in line_texts(bills) {
        out.write_record(texts.iter().chain(&amounts))
            .map_err(|e| e.to_string())?;
    }
    let mut total = vec![String::new(); LINE_COLUMNS.len()];
    total[0] = "TOTAL".into();
    total.extend(total_texts(bills));
    out.write_record(&total).map_err(|e| e.to_string())?;
    out.into_inner().map_err(|e| e.to_string())
}

/// Whether `value` survives a double exactly (at most 15 significant digits).
fn fits_a_double(value: Decimal) -> bool {
    let digits = value.normalize().abs().mantissa().to_string().len();
    digits <= 15
}

/// The month as an Excel workbook (one sheet, frozen header, totals in bold).
pub fn bills_xlsx(bills: &MonthBills) -> Result<Vec<u8>, String> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let fail = |e: rust_xlsxwriter::XlsxError| e.to_string();
    sheet
        .set_name(format!("bills {}", bills.month))
        .map_err(fail)?;
    let bold = Format::new().set_bold();
    for (col, name) in header().iter().enumerate() {
        let col = u16::try_from(col).map_err(|e| e.to_string())?;
        sheet
            .write_string_with_format(0, col, name, &bold)
            .map_err(fail)?;
    }
    let mut row: u32 = 1;
    let amount_at = |sheet: &mut rust_xlsxwriter::Worksheet,
                     row: u32,
                     col: u16,
                     text: &str,
                     format: Option<&Format>| {
        let value = decimal(text);
        match (fits_a_double(value), value.to_f64(), format) {
            (true, Some(number), Some(format)) => sheet
                .write_number_with_format(row, col, number, format)
                .map(|_| ()),
            (true, Some(number), None) => sheet.write_number(row, col, number).map(|_| ()),
            _ => sheet.write_string(row, col, text).map(|_| ()),
        }
    };
    for (texts, amounts) in line_texts(bills) {
        for (col, text) in texts.iter().enumerate() {
            let col = u16::try_from(col).map_err(|e| e.to_string())?;
            sheet.write_string(row, col, text).map_err(fail)?;
        }
        for (idx, text) in amounts.iter().enumerate() {
            let col = u16::try_from(LINE_COLUMNS.len() + idx).map_err(|e| e.to_string())?;
            amount_at(sheet, row, col, text, None).map_err(fail)?;
        }
        row += 1;
    }
    sheet
        .write_string_with_format(row, 0, "TOTAL", &bold)
        .map_err(fail)?;
    for (idx, text) in total_texts(bills).iter().enumerate() {
        let col = u16::try_from(LINE_COLUMNS.len() + idx).map_err(|e| e.to_string())?;
        amount_at(sheet, row, col, text, Some(&bold)).map_err(fail)?;
    }
    sheet.set_freeze_panes(1, 0).map_err(fail)?;
    book.save_to_buffer().map_err(fail)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doubles_hold_fifteen_digits() {
        assert!(fits_a_double(decimal("123456789012.345")));
        assert!(!fits_a_double(decimal("1234567890123.456")));
        assert!(fits_a_double(decimal("0.001")));
    }

    #[test]
    fn an_empty_month_still_has_its_header_and_totals() {
        let bills = MonthBills {
            month: "2026-10".into(),
            lines: Vec::new(),
            totals: vec![Decimal::ZERO; CATEGORIES.len()],
            total_usd: Decimal::ZERO,
        };
        let csv = String::from_utf8(bills_csv(&bills).unwrap()).unwrap();
        assert!(csv.starts_with("bill_year_month,id,"));
        assert!(csv.lines().nth(1).unwrap().starts_with("TOTAL,"));
        let xlsx = bills_xlsx(&bills).unwrap();
        assert_eq!(&xlsx[..2], b"PK");
    }
}
