import type { ComponentChildren } from 'preact';

export type ButtonKind = 'primary' | 'secondary' | 'quiet';

interface Props {
  readonly testid: string;
  readonly kind?: ButtonKind;
  readonly onClick: () => void;
  readonly disabled?: boolean;
  readonly huge?: boolean;
  readonly children: ComponentChildren;
}

/** Every tappable thing on the kiosk: big, labelled with words, and findable by tests. */
export function Button({ testid, kind = 'primary', onClick, disabled, huge, children }: Props) {
  return (
    <button
      type="button"
      class={`btn btn-${kind}${huge ? ' btn-huge' : ''}`}
      data-testid={testid}
      disabled={disabled}
      onClick={onClick}
    >
      {children}
    </button>
  );
}
