import { useTr } from '../context';

/** A small QR-like pattern: fixed, decorative, drawn so it looks like a code and not like noise. */
const QR_BITS = [
  '1110111', '1010101', '1110111', '0001000', '1101011', '0110110', '1011101',
];

function Qr({ x, y, cell }: { readonly x: number; readonly y: number; readonly cell: number }) {
  const cells: { cx: number; cy: number }[] = [];
  QR_BITS.forEach((row, r) => {
    [...row].forEach((bit, c) => {
      if (bit === '1') cells.push({ cx: x + c * cell, cy: y + r * cell });
    });
  });
  return (
    <g>
      {cells.map(({ cx, cy }) => (
        <rect key={`${cx}-${cy}`} x={cx} y={cy} width={cell} height={cell} fill="#111" />
      ))}
    </g>
  );
}

/** Front (QR top right) and back (three MRZ lines) of a chip CCCD, with the part to scan ringed. */
export function CardIllustration() {
  const tr = useTr();
  return (
    <div class="cards" aria-hidden="true">
      <figure class="card-fig">
        <svg viewBox="0 0 340 214" class="card-svg">
          <rect x="2" y="2" width="336" height="210" rx="16" fill="#eef4ff" stroke="#1d3b6e" stroke-width="3" />
          <rect x="22" y="60" width="80" height="104" rx="6" fill="#c8d3e6" />
          <circle cx="62" cy="95" r="18" fill="#8ea2c4" />
          <path d="M34 160c0-22 12-34 28-34s28 12 28 34z" fill="#8ea2c4" />
          {[70, 92, 114, 136].map((y) => (
            <rect key={y} x="118" y={y} width={y === 136 ? 90 : 120} height="10" rx="4" fill="#9aa9c2" />
          ))}
          <rect x="22" y="22" width="180" height="14" rx="4" fill="#b3261e" opacity="0.75" />
          <Qr x={252} y={30} cell={9} />
          <rect x="240" y="18" width="88" height="88" rx="10" fill="none" stroke="#0047b3" stroke-width="5" stroke-dasharray="10 6" />
        </svg>
        <figcaption>{tr('docQrSide')}</figcaption>
      </figure>
      <figure class="card-fig">
        <svg viewBox="0 0 340 214" class="card-svg">
          <rect x="2" y="2" width="336" height="210" rx="16" fill="#eef4ff" stroke="#1d3b6e" stroke-width="3" />
          <rect x="22" y="24" width="150" height="10" rx="4" fill="#9aa9c2" />
          <rect x="22" y="44" width="110" height="10" rx="4" fill="#9aa9c2" />
          {[132, 156, 180].map((y) => (
            <text key={y} x="24" y={y} font-family="DejaVu Sans Mono, monospace" font-size="17" fill="#111">
              {y === 132 ? 'IDVNM123456789' : y === 156 ? '9001015M3001015' : 'NGUYEN<<VAN<AN'}
              {'<<<<<<<'}
            </text>
          ))}
          <rect x="12" y="112" width="316" height="78" rx="8" fill="none" stroke="#0047b3" stroke-width="5" stroke-dasharray="10 6" />
        </svg>
        <figcaption>{tr('docMrzSide')}</figcaption>
      </figure>
    </div>
  );
}
