export function DifferentPersonScreen(_: { readonly document: unknown }) {
  return null;
}
