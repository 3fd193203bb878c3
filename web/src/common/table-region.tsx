import type { ComponentChildren } from 'preact';

/**
 * A wide table on a narrow screen scrolls sideways inside its own box; the box is a named region
 * that takes the keyboard focus, so that it can be scrolled without a mouse (WCAG 2.1.1).
 */
export function TableRegion(props: { readonly label: string; readonly children: ComponentChildren }) {
  return (
    <div class="table-wrap" role="region" aria-label={props.label} tabIndex={0}>
      {props.children}
    </div>
  );
}
