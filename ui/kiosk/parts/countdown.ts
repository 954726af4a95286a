import { useEffect, useState } from 'preact/hooks';

/**
 * Seconds left on a countdown the controller runs. The controller says how many were left when
 * it made the view (by its clock, so a reloaded page does not start again from the full length);
 * between its pushes the page counts down by itself so the number moves.
 */
export function useCountdown(secondsLeft: number): number {
  const [left, setLeft] = useState(secondsLeft);
  useEffect(() => {
    setLeft(secondsLeft);
    const started = Date.now();
    const id = setInterval(() => {
      setLeft(Math.max(0, secondsLeft - Math.floor((Date.now() - started) / 1000)));
    }, 250);
    return () => clearInterval(id);
  }, [secondsLeft]);
  return left;
}
