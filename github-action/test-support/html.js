// Checks the job summary with a real HTML parser (parse5, the WHATWG algorithm): no parse error, every element
// closed by its own end tag (an implied end tag means the text relied on the parser's error recovery), and every
// table row as wide as its header.
import assert from 'node:assert/strict';
import { parseFragment } from 'parse5';

const VOID = new Set(['br', 'hr', 'img', 'input', 'meta', 'link', 'wbr']);

export function assertWellFormedHtml(html) {
  const errors = [];
  const root = parseFragment(html, { sourceCodeLocationInfo: true, onParseError: error => errors.push(error.code) });
  assert.deepEqual(errors, [], `HTML parse errors in:\n${html}`);
  const tables = [];
  (function walk(node) {
    for (const child of node.childNodes ?? []) {
      if (child.tagName) {
        const location = child.sourceCodeLocation;
        if (location && !VOID.has(child.tagName)) {
          assert.ok(location.endTag, `<${child.tagName}> at offset ${location.startOffset} has no end tag of its own:\n${html}`);
        }
        if (child.tagName === 'table') tables.push(child);
      }
      walk(child);
    }
  })(root);
  for (const table of tables) {
    const rows = [];
    (function collect(node) {
      for (const child of node.childNodes ?? []) {
        if (child.tagName === 'tr') rows.push(child.childNodes.filter(c => c.tagName === 'td' || c.tagName === 'th').length);
        else collect(child);
      }
    })(table);
    assert.ok(rows.length > 0, 'a table has rows');
    for (const width of rows) assert.equal(width, rows[0], `every row of a table has ${rows[0]} cells:\n${html}`);
  }
  return root;
}

/** The text of the whole fragment, tags removed, whitespace collapsed. */
export function textOf(node) {
  if (node.nodeName === '#text') return node.value;
  return (node.childNodes ?? []).map(textOf).join(' ').replace(/\s+/g, ' ');
}
