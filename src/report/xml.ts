// SPDX-License-Identifier: GPL-2.0-only
// A small XML 1.0 writer: elements, attributes and text, every character
// escaped, no CDATA (so no "]]>" can end a section early). What XML cannot
// carry at all (most C0 controls, lone surrogates, U+FFFE/U+FFFF) and what a
// terminal would act on (ESC, DEL, C1 controls) is written as a visible \xNN.

export interface XmlElement {
  name: string;
  attrs: Array<[string, string | number]>;
  children: XmlElement[];
  /** Character data; an element has text or children, not both. */
  text?: string;
}

export function el(
  name: string,
  attrs: Array<[string, string | number]> = [],
  children: XmlElement[] = [],
): XmlElement {
  return { name, attrs, children };
}

export function textEl(name: string, attrs: Array<[string, string | number]>, text: string): XmlElement {
  return { name, attrs, children: [], text };
}

const hex = (n: number, w: number): string => n.toString(16).padStart(w, '0');

/**
 * Control characters but tab, newline and CR; DEL and C1; lone surrogates; U+FFFE/U+FFFF.
 * The first are illegal in XML 1.0, the others legal but read by terminals or by no one.
 */
const UNSAFE =
  /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Characters XML cannot carry (or a terminal would act on) made visible as \xNN (\uNNNN above 0xff). */
export function xmlSafe(s: string): string {
  return s.replace(UNSAFE, (c) => {
    const n = c.charCodeAt(0);
    return n <= 0xff ? `\\x${hex(n, 2)}` : `\\u${hex(n, 4)}`;
  });
}

/** Character data: & and < always, > too (so "]]>" never appears), CR as a reference (a parser would fold it). */
export function escapeText(s: string): string {
  return xmlSafe(s).replace(/[&<>\r]/g, (c) =>
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&#13;',
  );
}

const ATTR: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  '\t': '&#9;',
  '\n': '&#10;',
  '\r': '&#13;',
};

/** An attribute value: tab, newline and CR as references, or attribute-value normalization turns them into spaces. */
export function escapeAttr(s: string): string {
  return xmlSafe(s).replace(/[&<>"\t\n\r]/g, (c) => ATTR[c]!);
}

function open(e: XmlElement): string {
  const attrs = e.attrs.map(([k, v]) => ` ${k}="${escapeAttr(String(v))}"`).join('');
  return `<${e.name}${attrs}`;
}

function lines(e: XmlElement, indent: string, out: string[]): void {
  if (e.text !== undefined && e.text !== '') {
    out.push(`${indent}${open(e)}>${escapeText(e.text)}</${e.name}>`);
  } else if (e.children.length === 0) {
    out.push(`${indent}${open(e)}/>`);
  } else {
    out.push(`${indent}${open(e)}>`);
    for (const c of e.children) lines(c, indent + '  ', out);
    out.push(`${indent}</${e.name}>`);
  }
}

/** The document: declaration, then the element indented by two spaces a level; ends with a newline. */
export function serialize(root: XmlElement): string {
  const out = ['<?xml version="1.0" encoding="UTF-8"?>'];
  lines(root, '', out);
  return out.join('\n') + '\n';
}
