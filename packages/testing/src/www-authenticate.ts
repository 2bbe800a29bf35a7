/** One challenge of a `WWW-Authenticate` header. */
export interface AuthChallenge {
  /** Lower-case: `basic`, `digest`, ... */
  readonly scheme: string;
  /** Parameter names lower-case, quoted values unescaped. */
  readonly params: Readonly<Record<string, string>>;
  /** The token68 form of a challenge's credentials, when it has one instead of parameters. */
  readonly token68?: string;
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+/;
const TOKEN68 = /^[A-Za-z0-9\-._~+/]+=*/;

/**
 * Parses `WWW-Authenticate` (RFC 9110 §11.6.1): one or more challenges, each a scheme followed by
 * comma-separated `name=value` / `name="quoted"` parameters or a token68. Several header lines
 * arrive joined by `, `, so challenges are split where a bare token is not followed by `=`.
 * @param header - the header value (several lines joined by `, `)
 * @returns the challenges in order; none for an empty or unreadable header
 */
export function parseWwwAuthenticate(header: string): AuthChallenge[] {
  const challenges: AuthChallenge[] = [];
  let rest = header;
  const skip = (pattern: RegExp): void => {
    rest = rest.replace(pattern, '');
  };

  skip(/^[\s,]+/);
  while (rest.length > 0) {
    const scheme = TOKEN.exec(rest)?.[0];
    if (!scheme) break;
    rest = rest.slice(scheme.length);
    const params: Record<string, string> = Object.create(null) as Record<string, string>;
    let token68: string | undefined;
    skip(/^[ \t]+/);

    // token68 (e.g. `Negotiate abc==`): a lone value that is not a name=value pair.
    const maybeToken68 = TOKEN68.exec(rest)?.[0];
    if (maybeToken68 && /^[ \t]*(,|$)/.test(rest.slice(maybeToken68.length)) && !/^[^=]+=[^=]/.test(maybeToken68)) {
      token68 = maybeToken68;
      rest = rest.slice(maybeToken68.length);
    } else {
      while (rest.length > 0) {
        skip(/^[\s,]+/);
        const name = TOKEN.exec(rest)?.[0];
        if (!name) break;
        const afterName = rest.slice(name.length).replace(/^[ \t]*/, '');
        if (!afterName.startsWith('=')) break; // a new challenge's scheme
        rest = afterName.slice(1).replace(/^[ \t]*/, '');
        const value = readValue();
        params[name.toLowerCase()] = value;
      }
    }
    challenges.push(token68 === undefined ? { scheme: scheme.toLowerCase(), params } : { scheme: scheme.toLowerCase(), params, token68 });
    skip(/^[\s,]+/);
  }
  return challenges;

  function readValue(): string {
    if (!rest.startsWith('"')) {
      const token = TOKEN.exec(rest)?.[0] ?? '';
      rest = rest.slice(token.length);
      return token;
    }
    let value = '';
    let index = 1;
    for (; index < rest.length; index++) {
      const char = rest[index] as string;
      if (char === '\\' && index + 1 < rest.length) {
        value += rest[++index] as string;
      } else if (char === '"') {
        break;
      } else {
        value += char;
      }
    }
    rest = rest.slice(index + 1);
    return value;
  }
}
