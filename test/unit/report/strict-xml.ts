// SPDX-License-Identifier: GPL-2.0-only
// A strict XML 1.0 parser (saxes, a devDependency) for the JUnit tests: a
// document that any conforming parser would reject throws here, and what
// parses comes back as a small tree to compare text and attributes with.
import { SaxesParser } from 'saxes';

export interface Node {
  name: string;
  attrs: Record<string, string>;
  text: string;
  children: Node[];
}

/** The root element of xml; throws the parser's first error (with line:column). */
export function parseStrict(xml: string): Node {
  const p = new SaxesParser({ xmlns: false, position: true });
  const stack: Node[] = [];
  let root: Node | undefined;
  let error: Error | undefined;
  p.on('error', (e) => (error ??= e));
  p.on('opentag', (t) => {
    const n: Node = { name: t.name, attrs: { ...(t.attributes as Record<string, string>) }, text: '', children: [] };
    if (stack.length) stack[stack.length - 1]!.children.push(n);
    else root = n;
    stack.push(n);
  });
  p.on('text', (t) => stack.length && (stack[stack.length - 1]!.text += t));
  p.on('cdata', (t) => stack.length && (stack[stack.length - 1]!.text += t));
  p.on('closetag', () => stack.pop());
  p.write(xml).close();
  if (error) throw error;
  if (!root) throw new Error('no root element');
  return root;
}

/** Every element named name, depth first. */
export function all(n: Node, name: string): Node[] {
  return [...(n.name === name ? [n] : []), ...n.children.flatMap((c) => all(c, name))];
}
