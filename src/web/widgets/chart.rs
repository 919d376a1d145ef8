//! A ChatKit `Chart` as SVG, from the layout [`crate::widget::chart`] computes: grid lines and
//! axis labels, bars, areas and lines, a legend, and a tooltip for the row under the pointer.
//! Screen readers get the data as a table (the drawing itself is hidden from them).

use leptos::prelude::*;

use crate::web::launcher::TRUE;
use crate::web::panel::node::Node;
use crate::web::widgets::Ctx;
use crate::widget::chart::{Chart, Layout};
use crate::widget::style::number;

/// The width charts are laid out in (the SVG scales to its container).
const WIDTH: f64 = 360.0;

/// A chart with its legend, tooltip and data table.
pub fn chart(ctx: &Ctx, chart: &Chart) -> AnyView {
    let height = chart.height_for(WIDTH);
    let layout = chart.layout(WIDTH, height);
    let dark = ctx.dark;
    let colors: Vec<(String, String)> = chart
        .series
        .iter()
        .map(|series| (series.color.pick(false).to_owned(), series.color.pick(true).to_owned()))
        .collect();
    let paint = move |series: usize| {
        let (light, dark_color) = colors.get(series).cloned().unwrap_or_default();
        move || if dark.get() { dark_color.clone() } else { light.clone() }
    };
    let hovered = RwSignal::new(None::<usize>);
    let line = |class: &'static str, x1: f64, x2: f64, y1: f64, y2: f64| {
        Node::svg("line")
            .attr("class", class)
            .attr("x1", number(x1))
            .attr("x2", number(x2))
            .attr("y1", number(y1))
            .attr("y2", number(y2))
    };
    let label = |x: f64, y: f64, anchor: &'static str, text: &str| {
        Node::svg("text")
            .attr("class", "w-axis")
            .attr("x", number(x))
            .attr("y", number(y))
            .attr("text-anchor", anchor)
            .text(text.to_owned())
            .build_svg()
    };
    let mut drawing: Vec<AnyView> = Vec::new();
    for tick in &layout.y_ticks {
        drawing.push(line("w-grid", layout.left, layout.right, tick.at, tick.at).build_svg());
        if chart.show_y {
            drawing.push(label(layout.left - 6.0, tick.at + 4.0, "end", &tick.label));
        }
    }
    for path in &layout.paths {
        let (class, property) = if path.filled { ("w-area", "fill") } else { ("w-line", "stroke") };
        drawing.push(
            Node::svg("path")
                .attr("class", class)
                .attr("d", path.d.clone())
                .style_with(property, paint(path.series))
                .build_svg(),
        );
    }
    for bar in &layout.bars {
        let row = bar.row;
        drawing.push(
            Node::svg("rect")
                .attr_with("class", move || {
                    Some(
                        if hovered.get().is_some_and(|at| at != row) { "w-bar w-dim" } else { "w-bar" }
                            .to_owned(),
                    )
                })
                .attr("x", number(bar.x))
                .attr("y", number(bar.y))
                .attr("width", number(bar.width))
                .attr("height", number(bar.height))
                .attr("rx", "2")
                .style_with("fill", paint(bar.series))
                .build_svg(),
        );
    }
    for tick in &layout.x_ticks {
        drawing.push(label(tick.at, height - 6.0, "middle", &tick.label));
    }
    let cursor = {
        let xs = layout.row_x.clone();
        let (top, bottom) = (layout.top, layout.bottom);
        line("w-cursor", 0.0, 0.0, top, bottom)
            .attr_with("transform", {
                let xs = xs.clone();
                move || {
                    hovered
                        .get()
                        .and_then(|row| xs.get(row).copied())
                        .map(|x| format!("translate({})", number(x)))
                }
            })
            .attr_with("visibility", move || hovered.get().is_none().then(|| "hidden".to_owned()))
            .build_svg()
    };
    drawing.push(cursor);
    let tooltips = chart.tooltip;
    let rows_x = Layout::clone(&layout);
    let drawing = Node::svg("svg")
        .attr("class", "w-chart-svg")
        .attr("viewBox", format!("0 0 {} {}", number(WIDTH), number(height)))
        .attr("aria-hidden", TRUE)
        .on("pointermove", move |event| {
            let Some(event) =
                wasm_bindgen::JsCast::dyn_ref::<web_sys::MouseEvent>(&event).filter(|_| tooltips)
            else {
                return;
            };
            let Some(target) = event.current_target() else { return };
            let Ok(svg) = wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(target) else { return };
            let width = f64::from(svg.client_width().max(1));
            let x = f64::from(event.offset_x()) * WIDTH / width;
            hovered.set(Chart::row_at(&rows_x, x));
        })
        .on("pointerleave", move |_| hovered.set(None))
        .children(drawing)
        .build_svg();
    let tip = {
        let chart = chart.clone();
        let layout = layout.clone();
        let colors = chart.series.iter().map(|series| series.color.clone()).collect::<Vec<_>>();
        move || {
            let row = hovered.get()?;
            let tooltip = chart.tooltip(row)?;
            let left = layout.row_x.get(row).copied().unwrap_or(0.0) / WIDTH * 100.0;
            let lines: Vec<AnyView> = tooltip
                .lines
                .iter()
                .map(|(series, label, value)| {
                    let swatch = colors
                        .get(*series)
                        .map(|color| color.pick(dark.get_untracked()).to_owned())
                        .unwrap_or_default();
                    Node::with_class("div", "w-tip-line")
                        .child(Node::with_class("span", "w-swatch").style("background", swatch).build())
                        .child(Node::new("span").text(label.clone()).build())
                        .child(Node::with_class("strong", "w-tip-value").text(value.clone()).build())
                        .build()
                })
                .collect();
            Some(
                Node::with_class("div", "w-tip")
                    .attr("data-side", if left > 60.0 { "left" } else { "right" })
                    .style("left", format!("{}%", number(left)))
                    .child(Node::with_class("div", "w-tip-title").text(tooltip.category).build())
                    .children(lines)
                    .build(),
            )
        }
    };
    let legend = chart.legend.then(|| {
        let entries: Vec<AnyView> = chart
            .series
            .iter()
            .enumerate()
            .map(|(index, series)| {
                let color = paint(index);
                Node::with_class("span", "w-legend-item")
                    .child(Node::with_class("span", "w-swatch").style_with("background", color).build())
                    .text(series.label.clone())
                    .build()
            })
            .collect();
        Node::with_class("div", "w-legend").attr("aria-hidden", TRUE).children(entries).build()
    });
    let plot = Node::with_class("div", "w-chart-plot").child(drawing).child(tip.into_any()).build();
    vec![Some(plot), legend, Some(data_table(chart))].into_iter().flatten().collect::<Vec<_>>().into_any()
}

/// The chart's data as a table for screen readers.
fn data_table(chart: &Chart) -> AnyView {
    let head = Node::new("tr")
        .child(Node::new("th").build())
        .children(
            chart
                .series
                .iter()
                .map(|series| Node::new("th").attr("scope", "col").text(series.label.clone()).build())
                .collect(),
        )
        .build();
    let rows: Vec<AnyView> = chart
        .categories
        .iter()
        .enumerate()
        .map(|(row, category)| {
            let cells = chart
                .series
                .iter()
                .map(|series| {
                    let value = series.values.get(row).copied().flatten().map(number).unwrap_or_default();
                    Node::new("td").text(value).build()
                })
                .collect();
            let header = Node::new("th").attr("scope", "row").text(category.clone()).build();
            Node::new("tr").child(header).children(cells).build()
        })
        .collect();
    Node::with_class("table", "visually-hidden")
        .child(Node::new("tbody").child(head).children(rows).build())
        .build()
}
