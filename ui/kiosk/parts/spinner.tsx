export function Spinner() {
  return <div class="spinner" aria-hidden="true" />;
}
