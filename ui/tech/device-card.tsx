import { DEVICE_STATE_NAMES } from '../common/i18n';
import type { Running } from './app';
import { TECH_DEVICE_NAMES, clock, tl } from './labels';
import { ResultView } from './result-view';
import type { Lang } from '../../domain/language';
import type { DeviceError, SelfTestResult, TechDeviceStatus } from '../../domain/tech-channel/types';

/** What the last error means, in the page's language: a self-test's summary, or the state it left the device in. */
function lastErrorWords(e: DeviceError, lang: Lang): string | undefined {
  if (e.summary) return e.summary[lang];
  return e.state ? DEVICE_STATE_NAMES[e.state][lang] : undefined;
}

/** One device: its state now, its history since the kiosk started, its test and the last result. */
export function DeviceCard(props: {
  readonly lang: Lang;
  readonly device: TechDeviceStatus;
  readonly result?: SelfTestResult;
  readonly running?: Running;
  readonly canTest: boolean;
  readonly onTest: () => void;
}) {
  const { lang, device: d, result } = props;
  return (
    <article class={`device-card device-${d.state}`} data-testid={`device-${d.device}`} data-state={d.state}>
      <header class="device-head">
        <h3>{TECH_DEVICE_NAMES[d.device][lang]}</h3>
        <span class={`badge badge-${d.state}`} data-testid={`state-${d.device}`}>
          {DEVICE_STATE_NAMES[d.state][lang]}
        </span>
      </header>
      <p class="device-meta">
        {tl(lang, 'driver')}: {d.driver}
        {d.since ? ` · ${tl(lang, 'since')} ${clock(d.since)}` : ''}
      </p>
      {d.detail && d.state !== 'ready' && d.state !== 'busy' ? (
        <p class="device-detail">
          {tl(lang, 'technical')}: {d.detail}
        </p>
      ) : null}
      <p class="device-error" data-testid={`last-error-${d.device}`}>
        {d.lastError ? (
          <>
            <strong>{tl(lang, 'lastError')}</strong> ({clock(d.lastError.at)}): {lastErrorWords(d.lastError, lang) ?? d.lastError.message}
            {/* The driver's own words (English, as in the logs) under the plain ones. */}
            {lastErrorWords(d.lastError, lang) ? <span class="device-tech">{d.lastError.message}</span> : null}
          </>
        ) : (
          tl(lang, 'noError')
        )}
      </p>
      <p class="device-counters" data-testid={`counters-${d.device}`} data-faults={d.counters.faults} data-recoveries={d.counters.recoveries}>
        {tl(lang, 'faults')}: {d.counters.faults} · {tl(lang, 'recoveries')}: {d.counters.recoveries} · {tl(lang, 'selfTests')}: {d.counters.selfTests} ({d.counters.selfTestsFailed})
      </p>
      <button type="button" class="tbtn tbtn-primary device-test" data-testid={`test-${d.device}`} disabled={!props.canTest} onClick={props.onTest}>
        {props.running ? tl(lang, 'testing') : tl(lang, 'test')}
      </button>
      {props.running?.prompt ? (
        <p class="tech-banner" role="status" data-testid={`prompt-${d.device}`}>
          {props.running.prompt[lang]}
        </p>
      ) : null}
      {result && !props.running ? <ResultView lang={lang} result={result} /> : null}
    </article>
  );
}
