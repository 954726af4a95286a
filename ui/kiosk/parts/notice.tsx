import type { ComponentChildren } from 'preact';

/** A message the citizen must read: what went wrong and what to do. Never red-alarm scary. */
export function Notice({ testid, children }: { readonly testid: string; readonly children: ComponentChildren }) {
  return (
    <p class="notice" role="alert" data-testid={testid}>
      {children}
    </p>
  );
}
