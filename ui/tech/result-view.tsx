import { FACE_CHECK_NAMES, INPUT_LEVELS, INPUT_NAMES, LED_NAMES, PRINTER_STATUS, clock, tl } from './labels';
import type { Lang } from '../../domain/language';
import type { SelfTestResult } from '../../domain/tech-channel/types';

const nameOf = (names: Readonly<Record<string, { vi: string; en: string }>>, key: string, lang: Lang): string => names[key]?.[lang] ?? key;

/** A self-test's outcome: pass or fail, what happened, what to check next, and what it saw. */
export function ResultView({ lang, result: r }: { readonly lang: Lang; readonly result: SelfTestResult }) {
  return (
    <section class={`result ${r.ok ? 'result-ok' : 'result-bad'}`} data-testid={`result-${r.device}`} data-ok={String(r.ok)}>
      <p class="result-head">
        <span class={`badge ${r.ok ? 'badge-ready' : 'badge-fault'}`}>{tl(lang, r.ok ? 'resultOk' : 'resultFailed')}</span> {r.summary[lang]}
        <span class="result-time">
          {' '}
          {clock(r.at)} · {(r.ms / 1000).toFixed(1)} s
        </span>
      </p>
      {r.next ? (
        <p class="result-next" data-testid={`next-${r.device}`}>
          <strong>{tl(lang, 'nextStep')}</strong> {r.next[lang]}
        </p>
      ) : null}
      {r.fingerprint ? (
        <figure class="result-figure">
          <img class="finger-image" data-testid="fingerprint-image" src={r.fingerprint.image} width={r.fingerprint.width} height={r.fingerprint.height} alt="" />
          <figcaption data-testid="fingerprint-score" data-score={r.fingerprint.score}>
            {tl(lang, 'quality')}: {r.fingerprint.score}/100 ({r.fingerprint.threshold})
          </figcaption>
        </figure>
      ) : null}
      {r.photo ? (
        <figure class="result-figure">
          <img class="camera-photo" data-testid="camera-photo" src={r.photo.image} alt="" />
          <figcaption>
            {tl(lang, 'photoChecks')}
            <ul class="checks" data-testid="face-checks">
              {r.photo.checks.map((c) => (
                <li key={c.name} class={c.pass ? 'check-ok' : 'check-bad'} data-check={c.name} data-pass={String(c.pass)}>
                  {c.pass ? '✔' : '✘'} {nameOf(FACE_CHECK_NAMES, c.name, lang)}
                  {c.advice ? <span class="check-advice"> — {c.advice[lang]}</span> : null}
                </li>
              ))}
            </ul>
          </figcaption>
        </figure>
      ) : null}
      {r.scan ? (
        <p class="result-scan" data-testid="scan-result">
          {tl(lang, 'codeRead')}: {r.scan.document ?? <code>{r.scan.text}</code>}
        </p>
      ) : null}
      {r.printer ? (
        <p data-testid="printer-status" data-status={r.printer.status}>
          {tl(lang, 'printerStatus')}: {nameOf(PRINTER_STATUS, r.printer.status, lang)}
        </p>
      ) : null}
      {r.panel ? (
        <div class="panel-result">
          <p>{tl(lang, 'lights')}:</p>
          <ul class="checks" data-testid="panel-leds">
            {r.panel.leds.map((l) => (
              <li key={l.led} class={l.ok ? 'check-ok' : 'check-bad'} data-led={l.led} data-ok={String(l.ok)}>
                {l.ok ? '✔' : '✘'} {nameOf(LED_NAMES, l.led, lang)}
              </li>
            ))}
          </ul>
          <p>{tl(lang, 'inputs')}:</p>
          <ul class="checks" data-testid="panel-inputs">
            {r.panel.inputs.map((i) => {
              const level = INPUT_LEVELS[i.input];
              return (
                <li key={i.input} class={i.changed ? 'check-ok' : 'check-unknown'} data-input={i.input} data-changed={String(i.changed)}>
                  {i.changed ? '✔' : '–'} {nameOf(INPUT_NAMES, i.input, lang)}: {level ? (i.active ? level.active : level.inactive)[lang] : String(i.active)} ({tl(lang, i.changed ? 'changedDuringTest' : 'notTouched')})
                </li>
              );
            })}
          </ul>
        </div>
      ) : null}
      {r.detail ? (
        <details class="result-detail">
          <summary>{tl(lang, 'technical')}</summary>
          <code>{r.detail}</code>
        </details>
      ) : null}
    </section>
  );
}
