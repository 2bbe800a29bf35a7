/**
 * A lexical outline of a Bicep file: bracket balance (outside strings and comments) and the top-level
 * param / resource / module / output declarations with their bodies as text. This is NOT a Bicep
 * compiler (the tests run none): it catches unbalanced edits and lets tests assert what the
 * declarations say, nothing about types or API-version schemas.
 */

export interface BicepDeclaration {
  readonly kind: 'param' | 'var' | 'resource' | 'module' | 'output';
  readonly symbol: string;
  /** Resource type@version, module path, or param/output type; empty for a var. */
  readonly target: string;
  /** Text from the declaration keyword to its end (closing brace, or end of line). */
  readonly text: string;
}

export interface BicepOutline {
  readonly problems: readonly string[];
  readonly declarations: readonly BicepDeclaration[];
}

const closerOf: Record<string, string> = { '{': '}', '[': ']', '(': ')' };

/** Brackets outside strings and comments, with their offsets; a lexical problem ends the walk. */
function* brackets(text: string, from: number, problems: string[]): Generator<{ ch: string; at: number }> {
  let i = from;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === '/' && text[i + 1] === '/') {
      const end = text.indexOf('\n', i);
      i = end === -1 ? text.length : end;
    } else if (ch === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      if (end === -1) return void problems.push('unterminated block comment');
      i = end + 2;
    } else if (ch === "'") {
      let j = i + 1;
      while (j < text.length && text[j] !== "'" && text[j] !== '\n') j += text[j] === '\\' ? 2 : 1;
      if (text[j] !== "'") return void problems.push(`unterminated string at offset ${i}`);
      i = j + 1;
    } else {
      if ('{[()]}'.includes(ch)) yield { ch, at: i };
      i += 1;
    }
  }
}

function checkBalance(text: string): string[] {
  const problems: string[] = [];
  const expected: string[] = [];
  for (const { ch, at } of brackets(text, 0, problems)) {
    if (ch in closerOf) expected.push(closerOf[ch]!);
    else if (expected.pop() !== ch) {
      problems.push(`unexpected '${ch}' at offset ${at}`);
      return problems;
    }
  }
  if (expected.length > 0) problems.push(`${expected.length} bracket(s) never closed`);
  return problems;
}

/** Offset just past the bracket closing the one at `open`, or the end of the text. */
function pastMatchingClose(text: string, open: number): number {
  let depth = 0;
  for (const { ch, at } of brackets(text, open, [])) {
    depth += ch in closerOf ? 1 : -1;
    if (depth === 0) return at + 1;
  }
  return text.length;
}

// `var x = ...` has no target; the others name a type, a resource type@version or a module path.
const declarationPattern = /^(param|var|resource|module|output)\s+([A-Za-z_]\w*)(?:\s+('[^']*'|[A-Za-z_][\w.]*))?/gm;

export function outlineBicep(text: string): BicepOutline {
  const problems = checkBalance(text);
  const declarations: BicepDeclaration[] = [];
  for (const match of text.matchAll(declarationPattern)) {
    const start = match.index;
    const lineEnd = text.indexOf('\n', start) === -1 ? text.length : text.indexOf('\n', start);
    const firstLine = text.slice(start, lineEnd);
    // A body opens on the declaration line when the line ends with '{' (or '= {' / '= if (...) {').
    const opensBody = /\{\s*$/.test(firstLine);
    const end = opensBody ? pastMatchingClose(text, start + firstLine.lastIndexOf('{')) : lineEnd;
    declarations.push({
      kind: match[1] as BicepDeclaration['kind'],
      symbol: match[2]!,
      target: (match[3] ?? '').replace(/^'|'$/g, ''),
      text: text.slice(start, end),
    });
  }
  return { problems, declarations };
}
