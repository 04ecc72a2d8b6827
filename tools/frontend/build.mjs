// Build the page assets that come from npm (run: npm ci && node build.mjs, in tools/frontend/).
//   static/vendor/sparql-editor.min.js   CodeMirror 6 + SPARQL mode (editor.js), one IIFE
//   static/vendor/world.svg              Natural Earth 1:110m country outlines (world-atlas),
//                                        equirectangular, 1000 × 500 (x = (lon+180)·1000/360)
//   static/vendor/LICENSES/*             the licence of every bundled package
import { build } from "esbuild";
import { readFileSync, writeFileSync, mkdirSync, copyFileSync, existsSync } from "node:fs";
import { feature } from "topojson-client";

const OUT = new URL("../../server/relgraph_server/static/vendor/", import.meta.url).pathname;
mkdirSync(OUT + "LICENSES", { recursive: true });

await build({
  entryPoints: ["editor.js"], bundle: true, minify: true, format: "iife",
  globalName: "RelgraphEditor", target: "es2019", outfile: OUT + "sparql-editor.min.js",
  legalComments: "eof",
});

const W = 1000, H = 500;
const topo = JSON.parse(readFileSync("node_modules/world-atlas/countries-110m.json", "utf8"));
const x = (lon) => ((lon + 180) * W / 360).toFixed(1);
const y = (lat) => ((90 - lat) * H / 180).toFixed(1);
function ring(coords) {
  // split a ring where it jumps across the antimeridian, so no line crosses the map
  let d = "", prev = null;
  for (const [lon, lat] of coords) {
    d += (prev === null || Math.abs(lon - prev) > 180 ? "M" : "L") + x(lon) + " " + y(lat);
    prev = lon;
  }
  return d + "Z";
}
const paths = [];
for (const f of feature(topo, topo.objects.countries).features) {
  const g = f.geometry;
  if (!g) continue;
  const polys = g.type === "Polygon" ? [g.coordinates] : g.coordinates;
  const d = polys.map((p) => p.map(ring).join("")).join("");
  paths.push(`<path d="${d}"><title>${(f.properties.name || "").replace(/[<&"]/g, "")}</title></path>`);
}
writeFileSync(OUT + "world.svg",
  `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}">` +
  `<!-- Natural Earth 1:110m countries (public domain) via npm world-atlas; built by tools/frontend/build.mjs -->` +
  `<rect width="${W}" height="${H}" fill="#eef4f8"/><g fill="#d6dde3" stroke="#fff" stroke-width="0.4">` +
  paths.join("") + "</g></svg>\n");

const licences = {
  "codemirror": "node_modules/codemirror/LICENSE",
  "codemirror-view": "node_modules/@codemirror/view/LICENSE",
  "codemirror-state": "node_modules/@codemirror/state/LICENSE",
  "codemirror-language": "node_modules/@codemirror/language/LICENSE",
  "codemirror-legacy-modes": "node_modules/@codemirror/legacy-modes/LICENSE",
  "codemirror-autocomplete": "node_modules/@codemirror/autocomplete/LICENSE",
  "codemirror-commands": "node_modules/@codemirror/commands/LICENSE",
  "codemirror-lint": "node_modules/@codemirror/lint/LICENSE",
  "lezer-common": "node_modules/@lezer/common/LICENSE",
  "lezer-highlight": "node_modules/@lezer/highlight/LICENSE",
  "style-mod": "node_modules/style-mod/LICENSE",
  "w3c-keyname": "node_modules/w3c-keyname/LICENSE",
  "crelt": "node_modules/crelt/LICENSE",
  "find-cluster-break": "node_modules/@marijn/find-cluster-break/LICENSE",
  "world-atlas": "node_modules/world-atlas/LICENSE",
};
for (const [name, path] of Object.entries(licences)) {
  if (existsSync(path)) copyFileSync(path, OUT + "LICENSES/" + name + ".txt");
  else console.warn("no licence file: " + path);
}
console.log("built " + OUT);
