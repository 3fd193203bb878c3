import { useEffect, useState } from 'preact/hooks';

/**
 * Real paths (shared/api/portal-paths.ts), so a link from an SMS or a bookmark opens the right page
 * after a reload: the servers answer every page path with the page's HTML, and this router reads
 * `location`. Same-origin links are followed without a reload; anything else is left to the browser.
 */
const listeners = new Set<() => void>();

export function navigate(path: string, options: { replace?: boolean } = {}): void {
  if (options.replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  for (const listener of listeners) listener();
  window.scrollTo(0, 0);
}

/** The current location, re-rendering on navigation (links, back and forward). */
export function useLocation(): URL {
  const [url, setUrl] = useState(() => new URL(location.href));
  useEffect(() => {
    const update = () => setUrl(new URL(location.href));
    listeners.add(update);
    window.addEventListener('popstate', update);
    return () => {
      listeners.delete(update);
      window.removeEventListener('popstate', update);
    };
  }, []);
  return url;
}

/** Follows same-origin `<a href>` clicks in-page (a plain left click, no modifier, no `target`, no `download`). */
export function interceptLinks(root: HTMLElement, isPage: (path: string) => boolean): void {
  root.addEventListener('click', (event) => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const anchor = (event.target as Element | null)?.closest('a');
    if (anchor === null || anchor === undefined || anchor.target !== '' || anchor.hasAttribute('download')) return;
    const url = new URL(anchor.href);
    if (url.origin !== location.origin || !isPage(url.pathname)) return;
    event.preventDefault();
    navigate(`${url.pathname}${url.search}${url.hash}`);
  });
}

/** Matches `/ho-so/:code` style patterns; the values decoded. */
export function matchPath(pattern: string, path: string): Readonly<Record<string, string>> | undefined {
  const names: string[] = [];
  const source = pattern.replace(/:(\w+)/g, (_, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  const match = new RegExp(`^${source}/?$`).exec(path);
  if (match === null) return undefined;
  return Object.fromEntries(names.map((name, index) => [name, decodeURIComponent(match[index + 1] ?? '')]));
}
