/** The element tree behind both response builders, serialised like twilio-node's builder. */
import { escapeXmlAttribute, escapeXmlText } from './escape.js';

export const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';

/** What an attribute may hold; arrays are joined with spaces, null/undefined leave it out. */
export type TwimlAttributeValue = string | number | boolean | readonly string[] | null | undefined;

/** Element text (escaped on insertion) or a child element. */
type TwimlChild = string | TwimlNode;

/** One TwiML element. Every node's `toString()` renders the whole response, as twilio's does. */
export class TwimlNode {
  /** @internal The response this element belongs to. */
  readonly root: TwimlNode;
  /** @internal `<Name attr="…"`, escaped when the element was added, as twilio captures it. */
  readonly openTag: string;
  /** @internal */
  readonly tagName: string;
  /** @internal */
  readonly children: TwimlChild[] = [];

  /** @internal Use a response class or a verb method instead. */
  constructor(tagName: string, attributes?: object | null, parent?: TwimlNode) {
    this.root = parent ? parent.root : this;
    this.tagName = tagName;
    let openTag = `<${tagName}`;
    for (const [name, value] of Object.entries(attributes ?? {}) as [string, TwimlAttributeValue][]) {
      if (value == null) continue;
      openTag += ` ${name}="${escapeXmlAttribute(asText(Array.isArray(value) ? value.join(' ') : value))}"`;
    }
    this.openTag = openTag;
  }

  /** @internal */
  render(): string {
    // An element whose only content is empty text closes itself, as in xmlbuilder.
    if (this.children.every((child) => child === '')) return `${this.openTag}/>`;
    let xml = `${this.openTag}>`;
    for (const child of this.children) xml += typeof child === 'string' ? child : child.render();
    return `${xml}</${this.tagName}>`;
  }

  /** The whole response as TwiML, with the XML declaration (from any element of it). */
  toString(): string {
    return XML_DECLARATION + this.root.render();
  }
}

type NodeClass<T extends TwimlNode> = new (tagName: string, attributes: object | undefined, parent: TwimlNode) => T;

/**
 * Appends `<tagName>` under `parent`. Like twilio's verb methods, a string (or any non-object)
 * first argument is the element text and the attributes are empty.
 */
export function appendElement<T extends TwimlNode>(
  parent: TwimlNode,
  tagName: string,
  attributesOrText: object | string | undefined,
  text: string | undefined,
  nodeClass: NodeClass<T>,
): T {
  if (typeof attributesOrText !== 'object') {
    text = attributesOrText;
    attributesOrText = undefined;
  }
  const child = new nodeClass(tagName, attributesOrText, parent);
  if (text != null) child.children.push(escapeXmlText(asText(text)));
  parent.children.push(child);
  return child;
}

/**
 * A value as twilio's builder writes it: `'' + value`, which asks `valueOf` (or `Symbol.toPrimitive`
 * with the hint `default`) first. A template literal or `String()` asks `toString` first, and an
 * object whose two differ (a moment-like date) would serialise differently from twilio's.
 */
function asText(value: unknown): string {
  // biome-ignore lint/style/useTemplate: a template literal converts with the hint "string", not twilio's "default"
  return '' + value;
}

/** The TwiML for "do nothing": what an empty `VoiceResponse`/`MessagingResponse` renders. */
export function emptyResponse(): string {
  return `${XML_DECLARATION}<Response/>`;
}
