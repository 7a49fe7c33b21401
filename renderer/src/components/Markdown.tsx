/**
 * The user's markdown, rendered safely: react-markdown builds React elements (never innerHTML), raw
 * HTML shows as the text it is, and only http(s)/mailto links become links, opening outside the app
 * (Electron's window-open handler hands them to the browser). Images are not fetched: the CSP
 * allows no remote images, and a note should not phone home, so they show as links instead.
 */
import type { ComponentProps, ReactNode } from 'react';
import ReactMarkdown, { type Components } from 'react-markdown';
import remarkGfm from 'remark-gfm';
import { Typography } from '@mantine/core';
import { IconExternalLink, IconPhoto } from '@tabler/icons-react';

/** An external URL a link may open, or null when it must stay inert. */
function externalUrl(raw: string | undefined): string | null {
  if (!raw) return null;
  try {
    const url = new URL(raw);
    return url.protocol === 'https:' || url.protocol === 'http:' || url.protocol === 'mailto:' ? url.href : null;
  } catch {
    return null; // relative, malformed: nothing to open from a local app
  }
}

// A note sits under the page's own headings: its `#` is a section of the note, not of the page.
const demote = (level: 3 | 4 | 5 | 6) =>
  function Heading({ children }: { children?: ReactNode }) {
    const Tag = `h${level}` as const;
    return <Tag>{children}</Tag>;
  };

const components: Components = {
  h1: demote(3),
  h2: demote(4),
  h3: demote(5),
  h4: demote(6),
  h5: demote(6),
  h6: demote(6),
  a({ href, children, node: _node, ...rest }) {
    const url = externalUrl(href);
    if (!url) return <span className="ld-md-inert" title={href ? `Not opened: ${href}` : undefined}>{children}</span>;
    return (
      <a {...rest} href={url} target="_blank" rel="noopener noreferrer" title={url}>
        {children}
        <IconExternalLink size={12} aria-label="(opens outside Labdesk)" className="ld-md-external" />
      </a>
    );
  },
  img({ src, alt }) {
    const url = externalUrl(typeof src === 'string' ? src : undefined);
    const label = alt || 'image';
    const body = (
      <>
        <IconPhoto size={14} aria-hidden className="ld-md-external" /> {label}
      </>
    );
    return url ? (
      <a href={url} target="_blank" rel="noopener noreferrer" title={url} className="ld-md-image">
        {body}
      </a>
    ) : (
      <span className="ld-md-image">{body}</span>
    );
  },
};

export function Markdown({ children, ...rest }: { children: string } & Omit<ComponentProps<typeof Typography>, 'children'>) {
  return (
    <Typography className="ld-markdown" {...rest}>
      <ReactMarkdown remarkPlugins={[remarkGfm]} components={components}>
        {children}
      </ReactMarkdown>
    </Typography>
  );
}
