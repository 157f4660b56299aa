//! Charts as SVG drawn by the server: stacked bars (cost by period and group, coverage) and
//! lines with marks (a budget's burn-up). No chart library is sent to the browser: a chart
//! is part of the page's HTML, sized by its `viewBox` (so nothing shifts when it appears),
//! readable without JavaScript, with a `<title>` on every bar and point as its tooltip
//! (`console.js` shows it at once on hover and focus). Values stay exact decimals; only the
//! pixel positions are rounded, to tenths.

use std::fmt::Write as _;

use rust_decimal::{Decimal, RoundingStrategy};

use crate::format::won;

/// Drawing size (the `viewBox`); the page scales it to its width.
const WIDTH: i64 = 960;
const HEIGHT: i64 = 270;
/// Room for the value axis on the left and the period labels below.
const LEFT: i64 = 78;
const RIGHT: i64 = 12;
const TOP: i64 = 12;
const BOTTOM: i64 = 40;

/// Colours of the groups, in order (colour-blind safe, after Okabe & Ito), then grey.
pub const PALETTE: [&str; 9] = [
    "#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442", "#000000",
    "#999999",
];

/// One stacked layer or one line: a name and a value per label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Series {
    /// Shown in the legend and tooltips.
    pub name: String,
    /// One per label (`None`: no point, for lines).
    pub values: Vec<Option<Decimal>>,
}

/// How values are written on the axis and in tooltips.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// Korean won.
    Won,
    /// Hours.
    Hours,
}

impl Unit {
    fn full(self, value: Decimal) -> String {
        match self {
            Self::Won => won(value),
            Self::Hours => format!("{} h", crate::format::number(value.round_dp(2))),
        }
    }

    fn short(self, value: Decimal) -> String {
        let (scaled, suffix) = compact(value);
        match self {
            Self::Won => format!("₩{scaled}{suffix}"),
            Self::Hours => format!("{scaled}{suffix} h"),
        }
    }
}

/// `value` as `1.5` + `M` (K, M, B).
fn compact(value: Decimal) -> (String, &'static str) {
    let abs = value.abs();
    let (divisor, suffix) = if abs >= Decimal::from(1_000_000_000) {
        (Decimal::from(1_000_000_000), "B")
    } else if abs >= Decimal::from(1_000_000) {
        (Decimal::from(1_000_000), "M")
    } else if abs >= Decimal::from(1_000) {
        (Decimal::from(1_000), "K")
    } else {
        (Decimal::ONE, "")
    };
    (
        (value / divisor).round_dp(1).normalize().to_string(),
        suffix,
    )
}

/// A step of 1, 2 or 5 × 10ⁿ giving about five ticks up to `max`.
fn nice_step(max: Decimal) -> Decimal {
    if max <= Decimal::ZERO {
        return Decimal::ONE;
    }
    let rough = max / Decimal::from(5);
    let mut magnitude = Decimal::ONE;
    while magnitude * Decimal::TEN <= rough {
        magnitude *= Decimal::TEN;
    }
    while magnitude > rough && magnitude > Decimal::new(1, 6) {
        magnitude /= Decimal::TEN;
    }
    [1, 2, 5, 10]
        .into_iter()
        .map(|factor| magnitude * Decimal::from(factor))
        .find(|step| *step >= rough)
        .unwrap_or(magnitude * Decimal::TEN)
}

/// A pixel position at tenths.
fn px(value: Decimal) -> Decimal {
    value.round_dp_with_strategy(1, RoundingStrategy::MidpointAwayFromZero)
}

/// The value axis: from `low` (≤ 0) to `high` (≥ 0) in nice steps.
struct Scale {
    low: Decimal,
    high: Decimal,
    step: Decimal,
}

impl Scale {
    fn new(low: Decimal, high: Decimal) -> Self {
        let step = nice_step((high - low).max(Decimal::ONE));
        let round_up = |value: Decimal| (value / step).ceil() * step;
        Self {
            low: -round_up(-low.min(Decimal::ZERO)),
            high: round_up(high.max(Decimal::ZERO)).max(step),
            step,
        }
    }

    /// The y pixel of `value`.
    fn y(&self, value: Decimal) -> Decimal {
        let plot = Decimal::from(HEIGHT - TOP - BOTTOM);
        px(Decimal::from(TOP) + (self.high - value) / (self.high - self.low) * plot)
    }

    fn ticks(&self) -> Vec<Decimal> {
        let mut ticks = Vec::new();
        let mut at = self.low;
        while at <= self.high && ticks.len() < 40 {
            ticks.push(at);
            at += self.step;
        }
        ticks
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The frame: the SVG element, grid, value ticks and the labels below (every `nth`).
fn frame(out: &mut String, caption: &str, scale: &Scale, labels: &[String], unit: Unit) {
    let _ = write!(
        out,
        r#"<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{}" preserveAspectRatio="xMidYMid meet"><g class="grid">"#,
        escape(caption)
    );
    for tick in scale.ticks() {
        let y = scale.y(tick);
        let class = if tick.is_zero() { "zero" } else { "tick" };
        let _ = write!(
            out,
            r#"<line class="{class}" x1="{LEFT}" x2="{}" y1="{y}" y2="{y}"/><text class="y-label" x="{}" y="{}" text-anchor="end">{}</text>"#,
            WIDTH - RIGHT,
            LEFT - 6,
            y + Decimal::from(4),
            escape(&unit.short(tick))
        );
    }
    out.push_str("</g><g class=\"x-axis\">");
    let count = labels.len().max(1);
    let nth = count.div_ceil(12);
    for (idx, label) in labels.iter().enumerate() {
        if idx % nth != 0 {
            continue;
        }
        let x = slot_centre(idx, count);
        let _ = write!(
            out,
            r#"<text class="x-label" x="{x}" y="{}" text-anchor="middle">{}</text>"#,
            HEIGHT - BOTTOM + 18,
            escape(label)
        );
    }
    out.push_str("</g>");
}

fn slot_width(count: usize) -> Decimal {
    Decimal::from(WIDTH - LEFT - RIGHT) / Decimal::from(count.max(1))
}

fn slot_centre(idx: usize, count: usize) -> Decimal {
    px(Decimal::from(LEFT) + slot_width(count) * (Decimal::from(idx) + Decimal::new(5, 1)))
}

/// Stacked bars: one bar per label, one layer per series (positives up, negatives down).
pub fn stacked_bars(caption: &str, labels: &[String], series: &[Series], unit: Unit) -> String {
    let sums = |pick: fn(Decimal) -> bool| -> Decimal {
        (0..labels.len())
            .map(|idx| {
                series
                    .iter()
                    .filter_map(|s| s.values.get(idx).copied().flatten())
                    .filter(|v| pick(*v))
                    .sum::<Decimal>()
            })
            .fold(Decimal::ZERO, |a, b| {
                if pick(Decimal::ONE) {
                    a.max(b)
                } else {
                    a.min(b)
                }
            })
    };
    let scale = Scale::new(sums(|v| v < Decimal::ZERO), sums(|v| v > Decimal::ZERO));
    let mut out = String::with_capacity(512 + labels.len() * series.len() * 160);
    frame(&mut out, caption, &scale, labels, unit);
    let width = px(slot_width(labels.len()) * Decimal::new(7, 1)).max(Decimal::ONE);
    out.push_str("<g class=\"bars\">");
    for (idx, label) in labels.iter().enumerate() {
        let x = slot_centre(idx, labels.len()) - width / Decimal::TWO;
        let (mut up, mut down) = (Decimal::ZERO, Decimal::ZERO);
        for (layer, s) in series.iter().enumerate() {
            let Some(value) = s
                .values
                .get(idx)
                .copied()
                .flatten()
                .filter(|v| !v.is_zero())
            else {
                continue;
            };
            let (from, to) = if value > Decimal::ZERO {
                up += value;
                (up - value, up)
            } else {
                down += value;
                (down, down - value)
            };
            let (top, bottom) = (scale.y(to), scale.y(from));
            let _ = write!(
                out,
                r#"<rect class="bar" tabindex="0" x="{}" y="{top}" width="{width}" height="{}" fill="{}" data-series="{}" data-label="{}" data-value="{value}"><title>{} · {}: {}</title></rect>"#,
                px(x),
                (bottom - top).max(Decimal::new(1, 1)),
                PALETTE[layer.min(PALETTE.len() - 1)],
                escape(&s.name),
                escape(label),
                escape(label),
                escape(&s.name),
                escape(&unit.full(value))
            );
        }
    }
    out.push_str("</g></svg>");
    out
}

/// A horizontal mark across a line chart (a budget's amount or threshold).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mark {
    /// Its label.
    pub name: String,
    /// Where it is.
    pub value: Decimal,
}

/// Lines over the labels (series in palette order; the second and later dashed) with
/// horizontal marks.
pub fn lines(caption: &str, labels: &[String], series: &[Series], marks: &[Mark]) -> String {
    let values = series
        .iter()
        .flat_map(|s| s.values.iter().flatten().copied())
        .chain(marks.iter().map(|m| m.value));
    let (low, high) = values.fold((Decimal::ZERO, Decimal::ZERO), |(lo, hi), v| {
        (lo.min(v), hi.max(v))
    });
    let scale = Scale::new(low, high);
    let mut out = String::with_capacity(1024 + labels.len() * series.len() * 120);
    frame(&mut out, caption, &scale, labels, Unit::Won);
    out.push_str("<g class=\"marks\">");
    for mark in marks {
        let y = scale.y(mark.value);
        let _ = write!(
            out,
            r#"<line class="mark" x1="{LEFT}" x2="{}" y1="{y}" y2="{y}" data-mark="{}"><title>{}: {}</title></line><text class="mark-label" x="{}" y="{}" text-anchor="end">{}</text>"#,
            WIDTH - RIGHT,
            escape(&mark.name),
            escape(&mark.name),
            won(mark.value),
            WIDTH - RIGHT - 4,
            y - Decimal::from(4),
            escape(&mark.name)
        );
    }
    out.push_str("</g><g class=\"lines\">");
    for (idx, s) in series.iter().enumerate() {
        let colour = PALETTE[idx.min(PALETTE.len() - 1)];
        let points: Vec<(usize, Decimal)> = s
            .values
            .iter()
            .enumerate()
            .filter_map(|(at, v)| v.map(|v| (at, v)))
            .collect();
        let path: Vec<String> = points
            .iter()
            .map(|(at, v)| format!("{},{}", slot_centre(*at, labels.len()), scale.y(*v)))
            .collect();
        let dash = if idx > 0 {
            r#" stroke-dasharray="6 4""#
        } else {
            ""
        };
        let _ = write!(
            out,
            r#"<polyline class="line" fill="none" stroke="{colour}" stroke-width="2.5"{dash} points="{}" data-series="{}"/>"#,
            path.join(" "),
            escape(&s.name)
        );
        for (at, value) in points {
            let label = labels.get(at).map_or("", String::as_str);
            let _ = write!(
                out,
                r#"<circle class="point" tabindex="0" cx="{}" cy="{}" r="3.5" fill="{colour}"><title>{} · {}: {}</title></circle>"#,
                slot_centre(at, labels.len()),
                scale.y(value),
                escape(label),
                escape(&s.name),
                won(value)
            );
        }
    }
    out.push_str("</g></svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(value: i64) -> Option<Decimal> {
        Some(Decimal::from(value))
    }

    #[test]
    fn steps_are_one_two_or_five() {
        assert_eq!(nice_step(Decimal::from(1_000)), Decimal::from(200));
        assert_eq!(nice_step(Decimal::from(930_000)), Decimal::from(200_000));
        assert_eq!(nice_step(Decimal::from(40)), Decimal::from(10));
        assert_eq!(nice_step(Decimal::ZERO), Decimal::ONE);
    }

    #[test]
    fn bars_stack_every_value_with_its_tooltip() {
        let labels = vec!["2026-10".to_owned(), "2026-11".to_owned()];
        let series = vec![
            Series {
                name: "Compute".into(),
                values: vec![d(600), d(100)],
            },
            Series {
                name: "Storage <S>".into(),
                values: vec![d(400), None],
            },
        ];
        let svg = stacked_bars("Cost", &labels, &series, Unit::Won);
        assert_eq!(svg.matches("<rect class=\"bar\"").count(), 3);
        assert!(svg.contains("<title>2026-10 · Storage &lt;S&gt;: ₩400</title>"));
        assert!(svg.contains("data-value=\"600\""));
        // The tallest stack (1,000) reaches the top of the scale (1,000 in steps of 200).
        assert!(svg.contains(">₩1K</text>"));
    }

    #[test]
    fn negative_values_hang_below_zero() {
        let labels = vec!["d".to_owned()];
        let series = vec![
            Series {
                name: "usage".into(),
                values: vec![d(500)],
            },
            Series {
                name: "credit".into(),
                values: vec![d(-200)],
            },
        ];
        let svg = stacked_bars("Cost", &labels, &series, Unit::Won);
        assert!(svg.contains(">-₩200</text>") || svg.contains(">₩-200</text>"));
        assert_eq!(svg.matches("class=\"zero\"").count(), 1);
    }

    #[test]
    fn lines_draw_points_and_marks() {
        let labels: Vec<String> = (1..=3).map(|d| format!("11-0{d}")).collect();
        let series = vec![Series {
            name: "cost".into(),
            values: vec![d(10), d(20), None],
        }];
        let marks = vec![Mark {
            name: "amount".into(),
            value: Decimal::from(50),
        }];
        let svg = lines("Burn-up", &labels, &series, &marks);
        assert_eq!(svg.matches("<circle").count(), 2);
        assert!(svg.contains("data-mark=\"amount\""));
    }
}
