/** ISO/IEC 19794-4 finger positions 1..10: right thumb .. right little, left thumb .. left little. */
export const FINGER_POSITIONS = [
  'right_thumb',
  'right_index',
  'right_middle',
  'right_ring',
  'right_little',
  'left_thumb',
  'left_index',
  'left_middle',
  'left_ring',
  'left_little',
] as const;
export type FingerPosition = (typeof FINGER_POSITIONS)[number];

export type Hand = 'right' | 'left';
export const handOf = (p: FingerPosition): Hand => (p.startsWith('right') ? 'right' : 'left');

/**
 * Why a finger was not captured (docs/facts/quality-and-exceptions.md). The one list that the
 * channel's schema, the packet's schema and the page's labels are derived from.
 */
export const FINGER_EXCEPTION_REASONS = ['amputated', 'bandaged', 'injured', 'cannot-capture'] as const;
export type FingerExceptionReason = (typeof FINGER_EXCEPTION_REASONS)[number];

/** An exception covers the finger being taken, or every finger still pending on its hand. */
export const FINGER_EXCEPTION_SCOPES = ['finger', 'hand'] as const;
export type FingerExceptionScope = (typeof FINGER_EXCEPTION_SCOPES)[number];
