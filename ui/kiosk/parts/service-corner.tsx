import { useEffect, useRef } from 'preact/hooks';

/** How long a finger must stay on the corner: far longer than any tap a citizen makes. */
export const SERVICE_HOLD_MS = 3000;

/**
 * The technician's way from the kiosk's screen to the service screen (issue #13): a long press
 * on the top-left corner of the start or out-of-service screen. Invisible and silent, so a
 * citizen who brushes it sees nothing; the service screen behind it asks for the PIN, and goes
 * back to this screen by itself when nobody types it.
 */
export function ServiceCorner() {
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const cancel = () => {
    if (timer.current !== undefined) clearTimeout(timer.current);
    timer.current = undefined;
  };
  useEffect(() => cancel, []);
  return (
    <div
      class="service-corner"
      data-testid="service-corner"
      aria-hidden="true"
      onPointerDown={(e) => {
        e.preventDefault();
        cancel();
        timer.current = setTimeout(() => window.location.assign('/tech/'), SERVICE_HOLD_MS);
      }}
      onPointerUp={cancel}
      onPointerCancel={cancel}
      onPointerLeave={cancel}
      onContextMenu={(e) => e.preventDefault()}
    />
  );
}
