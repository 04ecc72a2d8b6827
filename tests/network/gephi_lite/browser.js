// Evaluated in Chromium by test_gephi_lite.py: Gephi Lite's import of a GEXF or GraphML text, in a browser.
//
// Gephi Lite imports "graphology-gexf/browser" and "graphology-graphml/browser": the parsers' common code
// bound to the browser's own DOMParser and Document. They are CommonJS files, so this loads them from
// `files` (path -> source, from the npm install) with a small require(); graphology itself is its UMD
// build, already in the page as the global `graphology`. Returns what arrived, as load.js does.
({ files, kind, text }) => {
  const cache = {};
  const resolve = (from, name) => {
    let path = name;
    if (name.startsWith(".")) {
      const parts = from.split("/");
      parts.pop();
      for (const part of name.split("/")) {
        if (part === "..") parts.pop();
        else if (part !== ".") parts.push(part);
      }
      path = parts.join("/");
    }
    for (const candidate of [path, path + ".js", path + "/index.js"]) {
      if (candidate in files) return candidate;
    }
    throw new Error(`cannot resolve ${name} from ${from}`);
  };
  const load = (path) => {
    if (path in cache) return cache[path].exports;
    const module = { exports: {} };
    cache[path] = module;
    const require = (name) => (name === "graphology" ? graphology : load(resolve(path, name)));
    new Function("module", "exports", "require", files[path])(module, module.exports, require);
    return module.exports;
  };
  const Graph = graphology;
  const graph =
    kind === "gexf"
      ? load("graphology-gexf/browser/index.js").parse(Graph, text, {
          allowUndeclaredAttributes: true,
          addMissingNodes: true,
        })
      : load("graphology-graphml/browser/index.js").parse(Graph, text, { addMissingNodes: true });
  const nodes = {};
  graph.forEachNode((key, attributes) => {
    nodes[key] = attributes;
  });
  const edges = [];
  graph.forEachEdge((key, attributes, source, target) => {
    edges.push({ key, source, target, attributes });
  });
  return {
    type: graph.type,
    multi: graph.multi,
    order: graph.order,
    size: graph.size,
    attributes: graph.getAttributes(),
    nodes,
    edges,
  };
}
