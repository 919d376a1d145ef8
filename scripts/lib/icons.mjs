// Generates src/widget/icons.rs: every icon name ChatKit's widgets define, drawn with Lucide's
// artwork (ISC; THIRD-PARTY-NOTICES.md), as SVG path data the widget draws inline (no requests).
//
// usage: node scripts/lib/icons.mjs <lucide-static package dir> > src/widget/icons.rs
//   (scripts/icons fetches the pinned lucide-static and runs this.)
//
// scripts/lib/icon-names.json maps each ChatKit name to the Lucide icon that means the same
// (Lucide has no glyph of ChatKit's own names: `bolt` is Lucide's `zap`, `cube` its `box`).
// Each icon becomes at most two path strings: what is stroked (Lucide draws with a 2 px stroke,
// round caps and joins, no fill) and what is filled (Lucide's small solid dots, and the
// `-filled` variants ChatKit has and Lucide does not). Circles, rects, lines, polylines and
// ellipses become exact path data, so the widget draws one <path> per kind of paint.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const lucide = process.argv[2];
if (!lucide) {
  console.error('usage: icons.mjs <lucide-static package dir>');
  process.exit(2);
}
const pkg = JSON.parse(readFileSync(join(lucide, 'package.json'), 'utf8'));
const nodes = JSON.parse(readFileSync(join(lucide, 'icon-nodes.json'), 'utf8'));
const names = JSON.parse(readFileSync(join(root, 'scripts/lib/icon-names.json'), 'utf8'));

const num = (x) => {
  const v = Math.round(x * 1000) / 1000;
  return String(Object.is(v, -0) ? 0 : v);
};
const cmd = (c, ...n) => c + n.map((x) => (typeof x === 'string' ? x : num(x))).join(' ');

// Path data made self-contained: a leading relative `m` becomes absolute (a relative moveto is
// relative to where the previous subpath ended once paths are joined), and the coordinate pairs
// that follow it stay relative line-tos.
function absoluteStart(d) {
  const text = d.trim();
  if (text[0] !== 'm') return text;
  const match = /^m\s*([+-]?(?:\d+\.?\d*|\.\d+))[\s,]*([+-]?(?:\d+\.?\d*|\.\d+))/.exec(text);
  if (!match) throw new Error(`unreadable path data: ${d}`);
  const rest = text.slice(match[0].length).trim();
  const implicit = rest && !/^[a-zA-Z]/.test(rest);
  return `M${match[1]} ${match[2]}${implicit ? 'l' : ''}${rest}`;
}

function ellipse(cx, cy, rx, ry) {
  return cmd('M', cx - rx, cy) + cmd('a', rx, ry, 0, 1, 0, 2 * rx, 0) + cmd('a', rx, ry, 0, 1, 0, -2 * rx, 0) + 'z';
}

function rect(a) {
  const [x, y, w, h] = [+a.x || 0, +a.y || 0, +a.width, +a.height];
  let rx = a.rx !== undefined ? +a.rx : a.ry !== undefined ? +a.ry : 0;
  let ry = a.ry !== undefined ? +a.ry : rx;
  rx = Math.min(rx, w / 2);
  ry = Math.min(ry, h / 2);
  if (!rx || !ry) return cmd('M', x, y) + cmd('h', w) + cmd('v', h) + cmd('h', -w) + 'z';
  const arc = (dx, dy) => cmd('a', rx, ry, 0, 0, 1, dx, dy);
  return cmd('M', x + rx, y) + cmd('h', w - 2 * rx) + arc(rx, ry) + cmd('v', h - 2 * ry) + arc(-rx, ry)
    + cmd('h', -(w - 2 * rx)) + arc(-rx, -ry) + cmd('v', -(h - 2 * ry)) + arc(rx, -ry) + 'z';
}

function points(list) {
  const n = (list.match(/[+-]?(?:\d+\.?\d*|\.\d+)/g) || []).map(Number);
  const out = [];
  for (let i = 0; i + 1 < n.length; i += 2) out.push([n[i], n[i + 1]]);
  return out;
}

function pathOf([tag, a]) {
  switch (tag) {
    case 'path': return absoluteStart(a.d);
    case 'circle': return ellipse(+a.cx || 0, +a.cy || 0, +a.r, +a.r);
    case 'ellipse': return ellipse(+a.cx || 0, +a.cy || 0, +a.rx, +a.ry);
    case 'rect': return rect(a);
    case 'line': return cmd('M', +a.x1 || 0, +a.y1 || 0) + cmd('L', +a.x2 || 0, +a.y2 || 0);
    case 'polyline':
    case 'polygon': {
      const [first, ...rest] = points(a.points);
      return cmd('M', ...first) + (rest.length ? cmd('L', ...rest.flat()) : '') + (tag === 'polygon' ? 'z' : '');
    }
    default: throw new Error(`no path form for <${tag}>`);
  }
}

const rows = [];
for (const [chatkit, name] of Object.entries(names)) {
  const elements = nodes[name];
  if (!elements) throw new Error(`lucide-static ${pkg.version} has no icon "${name}" (for ${chatkit})`);
  let stroke = elements.filter(([, a]) => a.fill !== 'currentColor').map(pathOf).join('');
  let fill = elements.filter(([, a]) => a.fill === 'currentColor').map(pathOf).join('');
  if (chatkit === 'star-filled') fill = stroke;
  if (chatkit === 'check-circle-filled') {
    // A solid disc, the check drawn over it in the surface's colour (the renderer's "knock-out"
    // paint, `var(--w-surface)`), marked by a leading `!`.
    const circle = elements.find(([tag]) => tag === 'circle');
    const check = elements.filter(([tag]) => tag !== 'circle').map(pathOf).join('');
    if (!circle || !check) throw new Error('circle-check changed shape');
    fill = ellipse(+circle[1].cx, +circle[1].cy, +circle[1].r + 1, +circle[1].r + 1);
    stroke = `!${check}`;
  }
  rows.push([chatkit, name, stroke, fill]);
}

const quote = (text) => JSON.stringify(text);
const out = `//! GENERATED by scripts/icons from lucide-static ${pkg.version} (ISC; see THIRD-PARTY-NOTICES.md).
//! Do not edit: change scripts/lib/icon-names.json or scripts/lib/icons.mjs and run scripts/icons.
//!
//! Every icon name of ChatKit's widgets (\`WidgetIcon\` of @openai/chatkit 1.9.0, \`IconName\` of
//! openai-chatkit 1.6.5) with the Lucide icon drawn for it, as 24×24 path data: what is stroked
//! (2 px, round caps and joins; a leading \`!\` means it is drawn in the surface's colour over the
//! fill) and what is filled.

/// \`(ChatKit name, Lucide name, stroked path, filled path)\`.
pub const ICONS: [(&str, &str, &str, &str); ${rows.length}] = [
${rows.map((row) => `    (${row.map(quote).join(', ')}),`).join('\n')}
];

/// The icon a widget names: a ChatKit name (\`"map-pin"\`), or \`"lucide:<name>"\` for one of the
/// Lucide icons drawn here. Returns the ChatKit name (the key of [\`glyph\`]).
pub fn lookup(name: &str) -> Option<&'static str> {
    let found = match name.strip_prefix("lucide:") {
        Some(lucide) => ICONS.iter().find(|icon| icon.1 == lucide),
        None => ICONS.iter().find(|icon| icon.0 == name),
    };
    found.map(|icon| icon.0)
}

/// The stroked and filled path data of an icon [\`lookup\`] returned.
pub fn glyph(name: &str) -> Option<(&'static str, &'static str)> {
    ICONS.iter().find(|icon| icon.0 == name).map(|icon| (icon.2, icon.3))
}
`;
process.stdout.write(out);
console.error(`icons.mjs: ${rows.length} ChatKit icon names from lucide-static ${pkg.version}`);
