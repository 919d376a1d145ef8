//! ChatKit's `Chart` (openai-chatkit's bar, line and area series over rows of data) and its
//! layout: scales, ticks, bar rectangles, line and area paths, legend and tooltip rows, all in
//! the chart's own coordinates. The browser layer draws the result as SVG.
//!
//! Written here rather than taken from a charting crate: what ChatKit's Chart needs is a few
//! hundred lines of geometry, and the crates that draw charts bring their own renderers (SVG
//! strings, canvas) that the page's DOM-only, text-only rule would have to work around.

use serde_json::{Map, Value};

use crate::widget::style::{as_number, color, number, ColorRole, Paint, SERIES_PALETTE};
use crate::widget::text_of;

/// Most points a chart draws: past a few hundred, 360 units of width give each less than a pixel,
/// and every point costs elements (a bar, a hover target, a row of the data table).
pub const MAX_POINTS: usize = 200;

/// A series' kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SeriesKind {
    /// Bars.
    Bar,
    /// A line.
    Line,
    /// A filled area.
    Area,
}

/// How a line or an area's edge joins its points.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Curve {
    /// Straight segments.
    Linear,
    /// Smooth, never overshooting (monotone in x): ChatKit's `monotone` and the other smooth
    /// curves (`natural`, `basis`, `bump`…).
    Smooth,
    /// Steps, the change halfway between points.
    Step,
    /// Steps, the change at the point before.
    StepBefore,
    /// Steps, the change at the point after.
    StepAfter,
}

/// One series.
#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    /// Bars, line or area.
    pub kind: SeriesKind,
    /// Its name (legend, tooltip).
    pub label: String,
    /// Its value in each row (`None` where a row has none).
    pub values: Vec<Option<f64>>,
    /// Series with the same stack id are stacked.
    pub stack: Option<String>,
    /// Its colour.
    pub color: Paint,
    /// How its points join.
    pub curve: Curve,
}

/// A chart.
#[derive(Clone, Debug, PartialEq)]
pub struct Chart {
    /// The x axis' label of each row.
    pub categories: Vec<String>,
    /// The series, in order.
    pub series: Vec<Series>,
    /// Hide the x axis.
    pub hide_x: bool,
    /// Draw the y axis.
    pub show_y: bool,
    /// Draw a legend.
    pub legend: bool,
    /// Show values on hover.
    pub tooltip: bool,
    /// Px between bars of one category.
    pub bar_gap: f64,
    /// Px between categories.
    pub category_gap: Option<f64>,
    /// Its height in px, when given as a number.
    pub height: Option<f64>,
    /// Its width over its height, when given as a number.
    pub aspect_ratio: Option<f64>,
}

/// Parses a `Chart` component's props.
pub fn parse(fields: &Map<String, Value>) -> Chart {
    let rows: &[Value] = fields.get("data").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
    let rows = &rows[..rows.len().min(MAX_POINTS)];
    let (x_key, hide_x, labels) = match fields.get("xAxis") {
        Some(Value::String(key)) => (key.clone(), false, None),
        Some(Value::Object(axis)) => (
            text_of(axis.get("dataKey")),
            axis.get("hide").and_then(Value::as_bool).unwrap_or(false),
            axis.get("labels").and_then(Value::as_object),
        ),
        _ => (String::new(), false, None),
    };
    let categories = rows
        .iter()
        .map(|row| {
            let value = text_of(row.get(&x_key));
            labels.and_then(|labels| labels.get(&value)).map(|label| text_of(Some(label))).unwrap_or(value)
        })
        .collect();
    let list: &[Value] =
        fields.get("series").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
    let series = list
        .iter()
        .take(20)
        .filter_map(|series| {
            let kind = match series.get("type")?.as_str()? {
                "bar" => SeriesKind::Bar,
                "line" => SeriesKind::Line,
                "area" => SeriesKind::Area,
                _ => return None,
            };
            let key = text_of(series.get("dataKey"));
            Some((kind, key, series))
        })
        .enumerate()
        .map(|(index, (kind, key, series))| {
            let label = Some(text_of(series.get("label")))
                .filter(|label| !label.is_empty())
                .unwrap_or_else(|| key.clone());
            let color =
                series.get("color").and_then(|value| color(value, ColorRole::Chart)).unwrap_or_else(|| {
                    color(&Value::from(SERIES_PALETTE[index % SERIES_PALETTE.len()]), ColorRole::Chart)
                        .unwrap_or(Paint::Css("#0285ff".into()))
                });
            let curve = match series.get("curveType").and_then(Value::as_str) {
                Some("linear" | "linearClosed") | None => Curve::Linear,
                Some("step") => Curve::Step,
                Some("stepBefore") => Curve::StepBefore,
                Some("stepAfter") => Curve::StepAfter,
                Some(_) => Curve::Smooth,
            };
            Series {
                kind,
                label,
                values: rows.iter().map(|row| row.get(&key).and_then(as_number)).collect(),
                stack: series
                    .get("stack")
                    .map(|stack| text_of(Some(stack)))
                    .filter(|stack| !stack.is_empty() && kind != SeriesKind::Line),
                color,
                curve,
            }
        })
        .collect();
    let flag = |key: &str, default: bool| fields.get(key).and_then(Value::as_bool).unwrap_or(default);
    Chart {
        categories,
        series,
        hide_x,
        show_y: flag("showYAxis", false),
        legend: flag("showLegend", true),
        tooltip: flag("showTooltip", true),
        bar_gap: fields.get("barGap").and_then(as_number).unwrap_or(4.0).clamp(0.0, 100.0),
        category_gap: fields.get("barCategoryGap").and_then(as_number).map(|gap| gap.clamp(0.0, 200.0)),
        height: fields
            .get("height")
            .or_else(|| fields.get("size"))
            .and_then(Value::as_f64)
            .map(|h| h.clamp(60.0, 800.0)),
        aspect_ratio: fields.get("aspectRatio").and_then(Value::as_f64).filter(|r| *r > 0.1 && *r < 10.0),
    }
}

/// A bar's rectangle.
#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    /// Its series.
    pub series: usize,
    /// Its row.
    pub row: usize,
    /// Left.
    pub x: f64,
    /// Top.
    pub y: f64,
    /// Width.
    pub width: f64,
    /// Height.
    pub height: f64,
}

/// A line's or an area's path.
#[derive(Clone, Debug, PartialEq)]
pub struct Path {
    /// Its series.
    pub series: usize,
    /// SVG path data.
    pub d: String,
    /// Filled (an area) or stroked (a line, an area's edge).
    pub filled: bool,
}

/// A tick of an axis.
#[derive(Clone, Debug, PartialEq)]
pub struct Tick {
    /// Where along the axis.
    pub at: f64,
    /// Its label.
    pub label: String,
}

/// What the tooltip of a row says.
#[derive(Clone, Debug, PartialEq)]
pub struct Tooltip {
    /// The row's category.
    pub category: String,
    /// Each series with a value there: its index, label and value.
    pub lines: Vec<(usize, String, String)>,
}

/// A chart laid out in a `width` × `height` box.
#[derive(Clone, Debug, PartialEq)]
pub struct Layout {
    /// The plot's left edge (after the y axis' labels).
    pub left: f64,
    /// The plot's right edge.
    pub right: f64,
    /// The plot's top.
    pub top: f64,
    /// The plot's bottom (above the x axis' labels).
    pub bottom: f64,
    /// Bars.
    pub bars: Vec<Bar>,
    /// Areas (filled) first, then lines and area edges.
    pub paths: Vec<Path>,
    /// The x axis' ticks (one per row, thinned so that labels do not overlap).
    pub x_ticks: Vec<Tick>,
    /// The y axis' ticks (grid lines are drawn at these too).
    pub y_ticks: Vec<Tick>,
    /// The middle of each row along x (where the pointer picks a row for the tooltip).
    pub row_x: Vec<f64>,
}

/// Numbers at a "nice" step (1, 2, 2.5 or 5 × 10ⁿ) covering `[low, high]`, about `count` of
/// them.
pub fn nice_ticks(low: f64, high: f64, count: usize) -> Vec<f64> {
    let (low, high) = if high > low { (low, high) } else { (low.min(0.0), low.max(0.0) + 1.0) };
    let raw = (high - low) / count.max(1) as f64;
    // The power of ten at or below `raw`, without a logarithm (which would add libm's).
    let mut magnitude = 1.0;
    while magnitude > raw && magnitude > 1e-12 {
        magnitude /= 10.0;
    }
    while magnitude * 10.0 <= raw && magnitude < 1e15 {
        magnitude *= 10.0;
    }
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|factor| factor * magnitude)
        .find(|step| *step >= raw)
        .unwrap_or(10.0 * magnitude);
    let first = (low / step).floor() * step;
    let mut ticks = Vec::new();
    let mut at = first;
    while ticks.len() < 50 {
        ticks.push(if at.abs() < step * 1e-9 { 0.0 } else { at });
        if at >= high - step * 1e-9 {
            break;
        }
        at += step;
    }
    ticks
}

/// A tick label: `1.5k`, `2M`, `0.25`.
pub fn short_number(value: f64) -> String {
    let abs = value.abs();
    let (scaled, suffix) = if abs >= 1e9 {
        (value / 1e9, "B")
    } else if abs >= 1e6 {
        (value / 1e6, "M")
    } else if abs >= 1e4 {
        (value / 1e3, "k")
    } else {
        (value, "")
    };
    let rounded = (scaled * 100.0).round() / 100.0;
    format!("{}{suffix}", number(rounded))
}

/// Px a label of `text` takes at the axis' 11 px type, roughly.
fn label_width(text: &str) -> f64 {
    text.chars().count() as f64 * 6.2
}

impl Chart {
    /// The height to lay the chart out in, for a `width` (its `height`, else from its
    /// `aspectRatio`, else 200 px).
    pub fn height_for(&self, width: f64) -> f64 {
        self.height.or_else(|| self.aspect_ratio.map(|ratio| width / ratio)).unwrap_or(200.0)
    }

    /// Where everything goes in a `width` × `height` box.
    pub fn layout(&self, width: f64, height: f64) -> Layout {
        let rows = self.categories.len();
        // The stacked extent of each row, by stack id, and the plain extent of the rest.
        let mut low: f64 = 0.0;
        let mut high: f64 = 0.0;
        let mut stacks: Vec<(String, Vec<(f64, f64)>)> = Vec::new();
        for series in &self.series {
            for (row, value) in series.values.iter().enumerate() {
                let Some(value) = *value else { continue };
                match &series.stack {
                    Some(stack) => {
                        let index = match stacks.iter().position(|(id, _)| id == stack) {
                            Some(index) => index,
                            None => {
                                stacks.push((stack.clone(), vec![(0.0, 0.0); rows]));
                                stacks.len() - 1
                            }
                        };
                        let slot = &mut stacks[index].1[row];
                        if value >= 0.0 {
                            slot.1 += value;
                        } else {
                            slot.0 += value;
                        }
                        low = low.min(slot.0);
                        high = high.max(slot.1);
                    }
                    None => {
                        low = low.min(value);
                        high = high.max(value);
                    }
                }
            }
        }
        let ticks = nice_ticks(low, high, 4);
        let (min, max) = (ticks.first().copied().unwrap_or(0.0), ticks.last().copied().unwrap_or(1.0));
        let span = if max > min { max - min } else { 1.0 };
        let y_labels: Vec<String> = ticks.iter().map(|tick| short_number(*tick)).collect();
        let left = if self.show_y {
            y_labels.iter().map(|label| label_width(label)).fold(0.0, f64::max) + 8.0
        } else {
            4.0
        };
        let (right, top) = (width - 4.0, 8.0);
        let bottom = height - if self.hide_x { 4.0 } else { 22.0 };
        let y_of = |value: f64| bottom - (value - min) / span * (bottom - top);
        let plot = (right - left).max(1.0);
        let any_bar = self.series.iter().any(|series| series.kind == SeriesKind::Bar);
        let band = plot / rows.max(1) as f64;
        // Points of a line or area reach the plot's edges: the first and last labels, centred
        // on them, must still fit.
        let edge = |label: Option<&String>| {
            if self.hide_x {
                0.0
            } else {
                label.map_or(0.0, |label| label_width(label) / 2.0)
            }
        };
        let inset_left = (edge(self.categories.first()) - (left - 4.0)).max(0.0);
        let inset_right = edge(self.categories.last());
        let span = (plot - inset_left - inset_right).max(1.0);
        let row_x: Vec<f64> = (0..rows)
            .map(|row| {
                if any_bar || rows <= 1 {
                    left + band * (row as f64 + 0.5)
                } else {
                    left + inset_left + span * row as f64 / (rows - 1) as f64
                }
            })
            .collect();
        // Bars: one slot per stack id and per unstacked bar series.
        let mut slots: Vec<Option<String>> = Vec::new();
        for series in self.series.iter().filter(|series| series.kind == SeriesKind::Bar) {
            let slot = series.stack.clone();
            if slot.is_none() || !slots.contains(&slot) {
                slots.push(slot);
            }
        }
        let category_gap = self.category_gap.unwrap_or(band * 0.2).min(band * 0.8);
        let inner = (band - category_gap).max(1.0);
        let slot_count = slots.len().max(1) as f64;
        let gap = self.bar_gap.min(inner / slot_count / 2.0);
        let bar_width = ((inner - gap * (slot_count - 1.0)) / slot_count).max(1.0);
        let mut bars = Vec::new();
        let mut piles: Vec<(usize, Vec<(f64, f64)>)> = Vec::new();
        let mut unstacked_slot = 0;
        for (index, series) in
            self.series.iter().enumerate().filter(|(_, series)| series.kind == SeriesKind::Bar)
        {
            let slot = match &series.stack {
                Some(stack) => slots.iter().position(|slot| slot.as_ref() == Some(stack)).unwrap_or(0),
                None => {
                    let found = slots
                        .iter()
                        .enumerate()
                        .filter(|(_, slot)| slot.is_none())
                        .nth(unstacked_slot)
                        .map(|(at, _)| at);
                    unstacked_slot += 1;
                    found.unwrap_or(0)
                }
            };
            let pile = match piles.iter().position(|(at, _)| *at == slot) {
                Some(pile) => pile,
                None => {
                    piles.push((slot, vec![(0.0, 0.0); rows]));
                    piles.len() - 1
                }
            };
            for (row, value) in series.values.iter().enumerate() {
                let Some(value) = *value else { continue };
                let base = &mut piles[pile].1[row];
                let (from, to) = if value >= 0.0 {
                    let from = base.1;
                    base.1 += value;
                    (from, base.1)
                } else {
                    let from = base.0;
                    base.0 += value;
                    (from, base.0)
                };
                let x = left + band * row as f64 + category_gap / 2.0 + slot as f64 * (bar_width + gap);
                let (y_from, y_to) = (y_of(from), y_of(to));
                bars.push(Bar {
                    series: index,
                    row,
                    x,
                    y: y_from.min(y_to),
                    width: bar_width,
                    height: (y_from - y_to).abs(),
                });
            }
        }
        // Lines and areas (stacked areas on each other).
        let mut fills = Vec::new();
        let mut strokes = Vec::new();
        let mut area_piles: Vec<(String, Vec<f64>)> = Vec::new();
        for (index, series) in
            self.series.iter().enumerate().filter(|(_, series)| series.kind != SeriesKind::Bar)
        {
            let base: Vec<f64> = match (&series.stack, series.kind) {
                (Some(stack), SeriesKind::Area) => match area_piles.iter().position(|(id, _)| id == stack) {
                    Some(pile) => area_piles[pile].1.clone(),
                    None => {
                        area_piles.push((stack.clone(), vec![0.0; rows]));
                        vec![0.0; rows]
                    }
                },
                _ => vec![0.0; rows],
            };
            let mut tops = base.clone();
            let points: Vec<(f64, f64)> = series
                .values
                .iter()
                .enumerate()
                .filter_map(|(row, value)| {
                    let value = (*value)?;
                    tops[row] = base[row] + value;
                    Some((row_x[row], y_of(tops[row])))
                })
                .collect();
            if let (Some(stack), SeriesKind::Area) = (&series.stack, series.kind) {
                if let Some(pile) = area_piles.iter_mut().find(|(id, _)| id == stack) {
                    pile.1 = tops;
                }
            }
            if points.is_empty() {
                continue;
            }
            let edge = curve_path(&points, series.curve);
            if series.kind == SeriesKind::Area {
                let floor: Vec<(f64, f64)> = series
                    .values
                    .iter()
                    .enumerate()
                    .filter(|(_, value)| value.is_some())
                    .map(|(row, _)| (row_x[row], y_of(base[row])))
                    .rev()
                    .collect();
                let back = curve_path(&floor, series.curve);
                let d = format!("{edge}L{}Z", back.trim_start_matches('M'));
                fills.push(Path { series: index, d, filled: true });
            }
            strokes.push(Path { series: index, d: edge, filled: false });
        }
        fills.extend(strokes);
        // X labels, thinned so that they do not overlap.
        let widest = self.categories.iter().map(|label| label_width(label)).fold(0.0, f64::max) + 6.0;
        let spacing =
            if rows > 1 { (row_x.get(1).copied().unwrap_or(0.0) - row_x[0]).abs().max(1.0) } else { plot };
        let every = (widest / spacing).ceil().max(1.0) as usize;
        let x_ticks = if self.hide_x {
            Vec::new()
        } else {
            self.categories
                .iter()
                .enumerate()
                .filter(|(row, _)| row % every == 0)
                .map(|(row, label)| Tick { at: row_x[row], label: label.clone() })
                .collect()
        };
        let y_ticks =
            ticks.iter().zip(y_labels).map(|(tick, label)| Tick { at: y_of(*tick), label }).collect();
        Layout { left, right, top, bottom, bars, paths: fills, x_ticks, y_ticks, row_x }
    }

    /// The tooltip of a row: its category, then each series' label and value.
    pub fn tooltip(&self, row: usize) -> Option<Tooltip> {
        let category = self.categories.get(row)?.clone();
        let lines = self
            .series
            .iter()
            .enumerate()
            .filter_map(|(index, series)| {
                let value = (*series.values.get(row)?)?;
                Some((index, series.label.clone(), number(value)))
            })
            .collect();
        Some(Tooltip { category, lines })
    }

    /// The row nearest to `x` (for the tooltip under the pointer).
    pub fn row_at(layout: &Layout, x: f64) -> Option<usize> {
        layout
            .row_x
            .iter()
            .enumerate()
            .min_by(|a, b| (a.1 - x).abs().total_cmp(&(b.1 - x).abs()))
            .map(|(row, _)| row)
    }
}

fn point(x: f64, y: f64) -> String {
    format!("{},{}", number(x), number(y))
}

/// SVG path data through `points` (left to right, or right to left for an area's floor).
fn curve_path(points: &[(f64, f64)], curve: Curve) -> String {
    let mut d = String::new();
    let Some(&(x0, y0)) = points.first() else { return d };
    d.push_str(&format!("M{}", point(x0, y0)));
    match curve {
        Curve::Linear => {
            for &(x, y) in &points[1..] {
                d.push_str(&format!("L{}", point(x, y)));
            }
        }
        Curve::Step | Curve::StepBefore | Curve::StepAfter => {
            for pair in points.windows(2) {
                let ((xa, ya), (xb, yb)) = (pair[0], pair[1]);
                let turn = match curve {
                    Curve::StepBefore => xa,
                    Curve::StepAfter => xb,
                    _ => (xa + xb) / 2.0,
                };
                d.push_str(&format!("L{}L{}L{}", point(turn, ya), point(turn, yb), point(xb, yb)));
            }
        }
        Curve::Smooth => {
            // Monotone cubic (Fritsch–Carlson): smooth, and never above or below its points.
            let n = points.len();
            let slopes: Vec<f64> = points
                .windows(2)
                .map(|pair| {
                    let dx = pair[1].0 - pair[0].0;
                    if dx.abs() < 1e-9 {
                        0.0
                    } else {
                        (pair[1].1 - pair[0].1) / dx
                    }
                })
                .collect();
            let tangents: Vec<f64> = (0..n)
                .map(|i| match (i.checked_sub(1).map(|j| slopes[j]), slopes.get(i).copied()) {
                    (Some(before), Some(after)) if before * after > 0.0 => 2.0 / (1.0 / before + 1.0 / after),
                    (Some(_), Some(_)) => 0.0,
                    (Some(only), None) | (None, Some(only)) => only,
                    (None, None) => 0.0,
                })
                .collect();
            for i in 0..n - 1 {
                let ((xa, ya), (xb, yb)) = (points[i], points[i + 1]);
                let third = (xb - xa) / 3.0;
                d.push_str(&format!(
                    "C{} {} {}",
                    point(xa + third, ya + tangents[i] * third),
                    point(xb - third, yb - tangents[i + 1] * third),
                    point(xb, yb)
                ));
            }
        }
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn chart(value: Value) -> Chart {
        parse(value.as_object().unwrap())
    }

    #[test]
    fn rows_become_categories_and_series_values() {
        let chart = chart(json!({
            "data": [{"month": "jan", "sales": 10, "cost": 4}, {"month": "feb", "sales": 12.5}],
            "series": [{"type": "bar", "dataKey": "sales", "label": "Sales"}, {"type": "line", "dataKey": "cost", "color": "red"}],
            "xAxis": {"dataKey": "month", "labels": {"jan": "January"}}
        }));
        assert_eq!(chart.categories, ["January", "feb"]);
        assert_eq!(chart.series[0].values, [Some(10.0), Some(12.5)]);
        assert_eq!(chart.series[1].values, [Some(4.0), None]);
        assert_eq!(chart.series[1].label, "cost");
        assert_eq!(chart.series[1].color, Paint::Css("#fa423e".into()));
        assert_eq!(chart.series[0].color, Paint::Css("#0285ff".into()), "the palette's first colour");
        assert_eq!(
            chart.tooltip(1),
            Some(Tooltip { category: "feb".into(), lines: vec![(0, "Sales".into(), "12.5".into())] })
        );
    }

    #[test]
    fn ticks_are_nice_and_cover_the_data() {
        assert_eq!(nice_ticks(0.0, 87.0, 4), [0.0, 25.0, 50.0, 75.0, 100.0]);
        assert_eq!(nice_ticks(-3.0, 3.0, 4), [-4.0, -2.0, 0.0, 2.0, 4.0]);
        assert_eq!(nice_ticks(0.0, 0.0, 4), [0.0, 0.25, 0.5, 0.75, 1.0]);
        assert_eq!(short_number(25000.0), "25k");
        assert_eq!(short_number(1_500_000.0), "1.5M");
        assert_eq!(short_number(0.25), "0.25");
    }

    #[test]
    fn bars_stand_on_zero_in_their_band_and_stacks_pile_up() {
        let chart = chart(json!({
            "data": [{"x": "a", "p": 2, "q": 3}, {"x": "b", "p": 4, "q": 1}],
            "series": [{"type": "bar", "dataKey": "p", "stack": "s"}, {"type": "bar", "dataKey": "q", "stack": "s"}],
            "xAxis": "x"
        }));
        let layout = chart.layout(200.0, 100.0);
        assert_eq!(layout.bars.len(), 4);
        let bottom = layout.bottom;
        let (p, q) = (&layout.bars[0], &layout.bars[2]);
        assert!((p.y + p.height - bottom).abs() < 1e-6, "the first stands on the axis");
        assert!((q.y + q.height - p.y).abs() < 1e-6, "the second stands on the first");
        assert!(layout
            .bars
            .iter()
            .all(|bar| bar.x >= layout.left && bar.x + bar.width <= layout.right + 1e-6));
        assert_eq!(layout.y_ticks.last().map(|tick| tick.label.as_str()), Some("6"));
    }

    #[test]
    fn a_smooth_line_never_leaves_the_range_of_its_points() {
        let chart = chart(json!({
            "data": [{"x": 1, "y": 0}, {"x": 2, "y": 10}, {"x": 3, "y": 10}, {"x": 4, "y": 0}],
            "series": [{"type": "area", "dataKey": "y", "curveType": "monotone"}],
            "xAxis": "x", "showYAxis": true
        }));
        let layout = chart.layout(300.0, 120.0);
        assert_eq!(layout.paths.len(), 2, "the area's fill and its edge");
        assert!(layout.paths[0].filled && layout.paths[0].d.ends_with('Z'));
        let edge = &layout.paths[1].d;
        let ys: Vec<f64> =
            edge.split(['C', 'M', ' ']).filter_map(|pair| pair.split(',').nth(1)?.parse().ok()).collect();
        assert!(ys.iter().all(|y| *y >= layout.top - 1e-6 && *y <= layout.bottom + 1e-6), "{edge}");
        assert_eq!(Chart::row_at(&layout, layout.right), Some(3));
    }

    #[test]
    fn crowded_labels_are_thinned() {
        let data: Vec<Value> = (0..60).map(|n| json!({"x": format!("label {n}"), "y": n})).collect();
        let chart = chart(json!({"data": data, "series": [{"type": "line", "dataKey": "y"}], "xAxis": "x"}));
        let layout = chart.layout(320.0, 160.0);
        assert!(layout.x_ticks.len() < 10 && !layout.x_ticks.is_empty());
        let gaps = layout.x_ticks.windows(2).map(|pair| pair[1].at - pair[0].at);
        assert!(gaps.clone().all(|gap| gap >= label_width("label 59")), "{:?}", gaps.collect::<Vec<_>>());
    }
}
