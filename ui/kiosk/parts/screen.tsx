import type { ComponentChildren } from 'preact';

interface Props {
  readonly name: string;
  readonly title?: string;
  readonly class?: string;
  /** Lay the children out side by side (landscape) or stacked (portrait), below the title. */
  readonly columns?: boolean;
  readonly children: ComponentChildren;
}

/** The root of each screen: a stable test id and the screen's heading. */
export function ScreenFrame({ name, title, class: extra, columns, children }: Props) {
  return (
    <section class={`screen screen-${name}${extra ? ` ${extra}` : ''}`} data-testid={`screen-${name}`}>
      {title ? <h1 class="screen-title">{title}</h1> : null}
      {columns ? <div class="two-col">{children}</div> : children}
    </section>
  );
}
