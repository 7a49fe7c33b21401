import crypto from 'node:crypto';
import type http from 'node:http';

/**
 * The per-server secret of web mode: made at start, handed to the user in the printed URL, then kept
 * in an HttpOnly, SameSite=Strict cookie. Another page, or another local user's process, cannot read
 * it, so it cannot call the API even when it can reach the port.
 */
export class SessionToken {
  readonly value = crypto.randomBytes(32).toString('base64url');
  private readonly digest = sha256(this.value);

  /** Cookies are not kept apart by port, so two servers on one host need two names. */
  constructor(readonly port: number) {}

  get cookieName(): string {
    return `labdesk_session_${this.port}`;
  }

  /** Compares in constant time (of digests, so the length of a wrong guess tells nothing either). */
  matches(candidate: string | null | undefined): boolean {
    return typeof candidate === 'string' && crypto.timingSafeEqual(sha256(candidate), this.digest);
  }

  /** Whether the request carries the token: the session cookie, `Authorization: Bearer`, or `x-labdesk-token`. */
  authorizes(req: http.IncomingMessage): boolean {
    const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const header = req.headers['x-labdesk-token'];
    return (
      this.matches(cookieValue(req.headers.cookie, this.cookieName)) ||
      this.matches(bearer) ||
      this.matches(Array.isArray(header) ? header[0] : header)
    );
  }

  /** The Set-Cookie value that opens a browser session; no Max-Age, so it ends with the browser session. */
  cookie(): string {
    return `${this.cookieName}=${this.value}; Path=/; HttpOnly; SameSite=Strict`;
  }
}

function sha256(text: string): Buffer {
  return crypto.createHash('sha256').update(text).digest();
}

/** One cookie's value from a Cookie header (Node caps header size, so this stays small). */
export function cookieValue(header: string | undefined, name: string): string | null {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

/** The page a browser gets without a session: the UI would only fail call by call. */
export const NO_SESSION_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Labdesk: open the link from labdesk serve</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 4rem auto; line-height: 1.5">
<h1>Open the link that <code>labdesk serve</code> printed</h1>
<p>This Labdesk server answers only browsers that opened the link it printed when it started
(<code>http://…/?token=…</code>). The token in that link is new each time the server starts.
Copy the link from the terminal running <code>labdesk serve</code> and open it here.</p>
</body></html>
`;
