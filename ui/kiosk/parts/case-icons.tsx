import type { ApplicationCase } from '../../../domain/application';

/**
 * One picture per case, drawn simply so it reads at a glance (a citizen who reads little
 * chooses by the picture): a card and what happened to it.
 */

const Card = () => (
  <g>
    <rect x="6" y="14" width="52" height="36" rx="5" fill="#e6eefb" stroke="#00337f" stroke-width="3" />
    <circle cx="20" cy="30" r="6" fill="#00337f" />
    <path d="M11 44c2-6 6-8 9-8s7 2 9 8" fill="#00337f" />
    <rect x="33" y="24" width="18" height="3.5" rx="1.5" fill="#00337f" />
    <rect x="33" y="32" width="14" height="3.5" rx="1.5" fill="#00337f" />
  </g>
);

const ICONS: Readonly<Record<ApplicationCase, () => preact.JSX.Element>> = {
  first: () => (
    <>
      <Card />
      <circle cx="50" cy="14" r="11" fill="#0b6b34" />
      <path d="M50 8v12M44 14h12" stroke="#fff" stroke-width="3.5" stroke-linecap="round" />
    </>
  ),
  damaged: () => (
    <>
      <Card />
      <path d="M30 12l-5 12 8 6-6 10 5 12" fill="none" stroke="#a3161a" stroke-width="4" stroke-linejoin="round" stroke-linecap="round" />
    </>
  ),
  expired: () => (
    <>
      <Card />
      <circle cx="49" cy="45" r="12" fill="#fff" stroke="#8a4600" stroke-width="3.5" />
      <path d="M49 38v8l5 3" fill="none" stroke="#8a4600" stroke-width="3.5" stroke-linecap="round" />
    </>
  ),
  lost: () => (
    <>
      <circle cx="27" cy="27" r="17" fill="#e6eefb" stroke="#00337f" stroke-width="4" />
      <path d="M39 39l16 16" stroke="#00337f" stroke-width="7" stroke-linecap="round" />
      <text x="27" y="35" text-anchor="middle" font-size="24" font-weight="700" fill="#00337f" font-family="sans-serif">?</text>
    </>
  ),
  changed: () => (
    <>
      <Card />
      <path d="M36 58l3-11 14-14 8 8-14 14z" fill="#fff2de" stroke="#8a4600" stroke-width="3" stroke-linejoin="round" />
      <path d="M39 47l8 8" stroke="#8a4600" stroke-width="3" />
    </>
  ),
  other: () => (
    <>
      <path d="M8 12h48a4 4 0 0 1 4 4v26a4 4 0 0 1-4 4H28l-12 10v-10H8a4 4 0 0 1-4-4V16a4 4 0 0 1 4-4z" fill="#e6eefb" stroke="#00337f" stroke-width="3.5" stroke-linejoin="round" />
      <text x="32" y="38" text-anchor="middle" font-size="26" font-weight="700" fill="#00337f" font-family="sans-serif">?</text>
    </>
  ),
};

export function CaseIcon({ kase }: { readonly kase: ApplicationCase }) {
  const Icon = ICONS[kase];
  return (
    <svg class="case-icon" viewBox="0 0 64 64" aria-hidden="true">
      <Icon />
    </svg>
  );
}
