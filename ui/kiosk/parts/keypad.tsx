import { useState } from 'preact/hooks';
import { groupDigits } from '../../common/format';
import { useTr } from '../context';

const MAX_DIGITS = 12;
const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9'] as const;

interface Props {
  /** The digits the controller kept (a reloaded page shows them again). */
  readonly initial: string;
  /** Each change, so the controller keeps them. */
  readonly onChange: (digits: string) => void;
  readonly onSubmit: (digits: string) => void;
  /** The length the citizen is expected to type first: 12 for a card's number, 9 for an old CMND (default). */
  readonly expect?: 9 | 12;
}

/** A large numeric keypad. The digits are the page's while it types; the controller keeps a copy. */
export function Keypad({ initial, onChange, onSubmit, expect = 9 }: Props) {
  const tr = useTr();
  const [digits, setDigits] = useState(initial);
  const change = (next: string) => {
    if (next === digits) return;
    setDigits(next);
    onChange(next);
  };
  const add = (d: string) => change(digits.length < MAX_DIGITS ? digits + d : digits);
  const complete = digits.length === 9 || digits.length === 12;
  return (
    <div class="keypad-wrap">
      <output class="keypad-display" data-testid="keypad-display" aria-live="polite">
        {digits ? groupDigits(digits) : '\u00a0'}
        <span class="keypad-count">
          {digits.length}/{digits.length > 9 ? 12 : expect}
        </span>
      </output>
      <div class="keypad">
        {KEYS.map((k) => (
          <button type="button" key={k} class="key" data-testid={`keypad-${k}`} onClick={() => add(k)}>
            {k}
          </button>
        ))}
        <button type="button" class="key key-del" data-testid="keypad-del" onClick={() => change(digits.slice(0, -1))}>
          ⌫ {tr('keypadDelete')}
        </button>
        <button type="button" class="key" data-testid="keypad-0" onClick={() => add('0')}>
          0
        </button>
        <button type="button" class="key key-ok" data-testid="keypad-ok" disabled={!complete} onClick={() => onSubmit(digits)}>
          {tr('keypadOk')}
        </button>
      </div>
    </div>
  );
}
