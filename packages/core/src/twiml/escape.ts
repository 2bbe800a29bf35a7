/**
 * XML escaping exactly as twilio-node's builder (xmlbuilder 13) does it, so our TwiML is
 * byte-identical to twilio's for the same input.
 */

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  '\t': '&#x9;',
  '\n': '&#xA;',
  '\r': '&#xD;',
};

const toEntity = (character: string): string => ENTITIES[character] ?? character;

// Characters XML 1.0 cannot carry at all, not even as a character reference: C0 controls other
// than tab/newline/CR, U+FFFE/U+FFFF and lone surrogates (the `u` flag sees a valid pair as one
// code point, so only unpaired halves fall in the surrogate range).
const ILLEGAL_XML_CHARACTER = /[\0-\x08\v\f\x0E-\x1F\uD800-\uDFFF\uFFFE\uFFFF]/u;

/**
 * Escapes element text: `&`, `<`, `>` and carriage return (which XML parsers would otherwise
 * normalise away). Quotes, tab and newline stay literal, as in twilio's output.
 * Throws on characters XML 1.0 cannot represent, as twilio's builder does.
 */
export function escapeXmlText(text: string): string {
  const illegal = ILLEGAL_XML_CHARACTER.exec(text);
  if (illegal) throw new Error(`Invalid XML character at index ${illegal.index}`);
  return text.replace(/[&<>\r]/g, toEntity);
}

/**
 * Escapes a double-quoted attribute value: `&`, `<`, `"`, and tab/newline/CR as character
 * references (attribute-value normalisation would turn them into spaces). `>` and `'` stay
 * literal. Like twilio, it does not reject control characters in attribute values.
 */
export function escapeXmlAttribute(value: string): string {
  return value.replace(/[&<"\t\n\r]/g, toEntity);
}
