// Parse a GEXF or GraphML file as Gephi Lite's importer does and print what arrived, as JSON.
//
// Gephi Lite (packages/gephi-lite/src/core/graph/import/index.ts) calls
//   gexf.parse(Graph, content, { allowUndeclaredAttributes: true, addMissingNodes: true })
//   graphml.parse(Graph, content, { addMissingNodes: true })
// with graphology and the browser builds of graphology-gexf and graphology-graphml, which are their
// common parsers bound to the browser's DOMParser. Here the same common parsers run on
// @xmldom/xmldom's DOMParser (the parsers' own Node.js builds), at the versions Gephi Lite pins.
//
// usage: node load.js FILE.gexf|FILE.graphml
"use strict";
const fs = require("fs");
const Graph = require("graphology");
const gexf = require("graphology-gexf");
const graphml = require("graphology-graphml");

const file = process.argv[2];
const content = fs.readFileSync(file, "utf-8");
const graph = file.endsWith(".gexf")
  ? gexf.parse(Graph, content, { allowUndeclaredAttributes: true, addMissingNodes: true })
  : graphml.parse(Graph, content, { addMissingNodes: true });
const nodes = {};
graph.forEachNode((key, attributes) => {
  nodes[key] = attributes;
});
const edges = [];
graph.forEachEdge((key, attributes, source, target) => {
  edges.push({ key, source, target, attributes });
});
process.stdout.write(
  JSON.stringify({ type: graph.type, multi: graph.multi, order: graph.order, size: graph.size, attributes: graph.getAttributes(), nodes, edges }),
);
