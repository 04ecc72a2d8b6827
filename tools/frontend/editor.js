// The query page's editor: CodeMirror 6 with the SPARQL mode of @codemirror/legacy-modes,
// prefix and keyword completion, and an error marker set from the endpoint's answer.
// Bundled by build.mjs into server/relgraph_server/static/vendor/sparql-editor.min.js;
// the page (static/query.js) uses it through window.RelgraphEditor and works without it.
import { EditorView, keymap, lineNumbers, highlightActiveLine, drawSelection } from "@codemirror/view";
import { EditorState } from "@codemirror/state";
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import { StreamLanguage, syntaxHighlighting, defaultHighlightStyle, bracketMatching } from "@codemirror/language";
import { autocompletion, completionKeymap, closeBrackets } from "@codemirror/autocomplete";
import { setDiagnostics, lintGutter } from "@codemirror/lint";
import { sparql } from "@codemirror/legacy-modes/mode/sparql";

const KEYWORDS = ["SELECT", "DISTINCT", "WHERE", "OPTIONAL", "FILTER", "UNION", "MINUS", "GRAPH",
  "VALUES", "BIND", "ORDER BY", "GROUP BY", "HAVING", "LIMIT", "OFFSET", "ASK", "CONSTRUCT",
  "DESCRIBE", "PREFIX", "COUNT", "SAMPLE", "GROUP_CONCAT", "LANG", "LANGMATCHES", "STR", "REGEX",
  "CONTAINS", "STRSTARTS", "YEAR", "COALESCE", "EXISTS", "NOT EXISTS", "AS", "DESC", "ASC"];

function declared(text) {
  const found = new Set();
  for (const m of text.matchAll(/PREFIX\s+([A-Za-z][\w.-]*)?:/gi)) found.add(m[1] || "");
  return found;
}

function completions(prefixes) {
  return (context) => {
    const word = context.matchBefore(/[A-Za-z_][\w-]*:?[\w-]*/);
    if (!word || (word.from === word.to && !context.explicit)) return null;
    const text = context.state.doc.toString();
    const have = declared(text);
    const options = [];
    for (const [name, ns] of Object.entries(prefixes)) {
      options.push({
        label: name + ":", type: "namespace", detail: ns,
        apply: (view, completion, from, to) => {
          const changes = [{ from, to, insert: name + ":" }];
          if (!have.has(name)) changes.push({ from: 0, insert: "PREFIX " + name + ": <" + ns + ">\n" });
          view.dispatch({ changes });
        },
      });
    }
    for (const kw of KEYWORDS) options.push({ label: kw, type: "keyword" });
    return { from: word.from, options, validFor: /^[\w-]*:?[\w-]*$/ };
  };
}

export function create(textarea, options = {}) {
  const prefixes = options.prefixes || {};
  const runKeys = [
    { key: "Mod-Enter", run: () => { if (options.onRun) options.onRun(); return true; } },
  ];
  const view = new EditorView({
    state: EditorState.create({
      doc: textarea.value,
      extensions: [
        lineNumbers(), history(), drawSelection(), highlightActiveLine(), bracketMatching(), closeBrackets(),
        StreamLanguage.define(sparql), syntaxHighlighting(defaultHighlightStyle),
        autocompletion({ override: [completions(prefixes)] }), lintGutter(),
        keymap.of([...runKeys, ...completionKeymap, ...defaultKeymap, ...historyKeymap, indentWithTab]),
        EditorView.updateListener.of((u) => { if (u.docChanged) textarea.value = u.state.doc.toString(); }),
        EditorView.contentAttributes.of({ "aria-label": options.label || "SPARQL", "aria-multiline": "true" }),
      ],
    }),
  });
  textarea.hidden = true;
  textarea.parentNode.insertBefore(view.dom, textarea);
  return {
    view,
    getValue: () => view.state.doc.toString(),
    setValue(text) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
    },
    // Mark the error at 1-based line and column (the endpoint's message names them).
    setError(line, column, message) {
      const doc = view.state.doc;
      const l = doc.line(Math.max(1, Math.min(line, doc.lines)));
      const from = Math.min(l.from + Math.max(0, column - 1), l.to);
      const to = Math.min(from + 1, doc.length);
      view.dispatch(setDiagnostics(view.state, [{ from, to: Math.max(to, from), severity: "error", message }]));
      view.dispatch({ selection: { anchor: from }, scrollIntoView: true });
    },
    clearError() { view.dispatch(setDiagnostics(view.state, [])); },
    focus() { view.focus(); },
  };
}
