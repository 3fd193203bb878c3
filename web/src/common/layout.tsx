import type { ComponentChildren } from 'preact';
import { currentLanguage, setLanguage, type Language } from './i18n';

export interface NavLink {
  readonly href: string;
  readonly label: string;
}

interface LayoutProps {
  readonly title: string;
  readonly homeHref: string;
  readonly nav: readonly NavLink[];
  readonly skipLabel: string;
  readonly footer: ComponentChildren;
  /** Called after the language changes, so the page re-renders in it. */
  readonly onLanguage: (language: Language) => void;
  readonly children: ComponentChildren;
}

/** Header (with the language switch), one `<main>` to skip to, footer: the same frame on every page. */
export function Layout(props: LayoutProps) {
  const other: Language = currentLanguage() === 'vi' ? 'en' : 'vi';
  return (
    <>
      <a class="skip-link" href="#main">
        {props.skipLabel}
      </a>
      <header class="site-header">
        <div class="site-header__inner">
          <a class="site-header__title" href={props.homeHref}>
            {props.title}
          </a>
          <nav aria-label={currentLanguage() === 'vi' ? 'Điều hướng chính' : 'Main navigation'}>
            <ul>
              {props.nav.map((link) => (
                <li key={link.href}>
                  <a href={link.href}>{link.label}</a>
                </li>
              ))}
              <li>
                <button
                  type="button"
                  class="link"
                  lang={other}
                  onClick={() => {
                    setLanguage(other);
                    props.onLanguage(other);
                  }}
                >
                  {other === 'en' ? 'English' : 'Tiếng Việt'}
                </button>
              </li>
            </ul>
          </nav>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {props.children}
      </main>
      <footer class="site-footer">
        <div class="site-footer__inner">{props.footer}</div>
      </footer>
    </>
  );
}
