import { DEVICE_STATE_NAMES } from '../common/i18n';
import type { Running } from './app';
import { DeviceCard } from './device-card';
import { SERVICE_STATES, SYNC_STATES, citizenScreenName, clock, duration, tl } from './labels';
import type { Bilingual, Lang } from '../../domain/language';
import { TECH_DEVICES, type SelfTestResult, type TechDevice, type TechStatus } from '../../domain/tech-channel/types';

export interface Actions {
  service(on: boolean): void;
  test(device: TechDevice): void;
  testAll(): void;
}

/** After the PIN: the out-of-service switch, every device with its test, storage, outbox and version. */
export function ServicePage(props: {
  readonly lang: Lang;
  readonly status?: TechStatus;
  readonly results: Partial<Record<TechDevice, SelfTestResult>>;
  readonly running?: Running;
  readonly error?: Bilingual;
  readonly actions: Actions;
}) {
  const { lang, status, actions } = props;
  if (!status) {
    return (
      <main class="service" data-testid="service-loading">
        <p class="tech-banner">{tl(lang, 'connecting')}</p>
      </main>
    );
  }
  const state = SERVICE_STATES[status.service];
  const outByTechnician = status.service === 'maintenance' || status.service === 'maintenance-pending';
  const busy = props.running !== undefined || status.selfTests.running !== undefined;
  return (
    <main class="service" data-testid="service">
      <section class={`service-bar service-${status.service}`} data-testid="service-state" data-state={status.service}>
        <div class="service-words">
          <h2>{state.label[lang]}</h2>
          <p>{state.hint[lang]}</p>
          <p class="service-why">{tl(lang, 'whyOutOfService')}</p>
        </div>
        <div class="service-actions">
          <button type="button" class={`tbtn ${outByTechnician ? 'tbtn-primary' : 'tbtn-warn'}`} data-testid="service-toggle" onClick={() => actions.service(!outByTechnician)}>
            {tl(lang, outByTechnician ? 'backInService' : 'takeOutOfService')}
          </button>
          <button type="button" class="tbtn tbtn-secondary" data-testid="test-all" disabled={!status.selfTests.allowed || busy} onClick={actions.testAll}>
            {tl(lang, 'testAll')}
          </button>
        </div>
      </section>
      {props.error ? (
        <p class="tech-banner tech-banner-bad" role="alert" data-testid="tech-error">
          {props.error[lang]}
        </p>
      ) : !status.selfTests.allowed && status.selfTests.why && status.service !== 'in-service' ? (
        <p class="tech-banner" data-testid="tests-why">
          {status.selfTests.why[lang]}
        </p>
      ) : null}
      <h2 class="section-title">{tl(lang, 'devices')}</h2>
      <div class="device-grid">
        {TECH_DEVICES.map((device) => {
          const d = status.devices.find((x) => x.device === device);
          if (!d) return null;
          const result = props.results[device];
          return (
            <DeviceCard
              key={device}
              lang={lang}
              device={d}
              {...(result ? { result } : {})}
              {...(props.running?.device === device ? { running: props.running } : {})}
              canTest={status.selfTests.allowed && !busy}
              onTest={() => actions.test(device)}
            />
          );
        })}
      </div>
      <h2 class="section-title">{tl(lang, 'system')}</h2>
      <section class="system-card" data-testid="system">
        <dl class="facts">
          <dt>{tl(lang, 'storage')}</dt>
          <dd data-testid="storage" data-state={status.storage.state}>
            <span class={`badge badge-${status.storage.state}`}>{DEVICE_STATE_NAMES[status.storage.state][lang]}</span>{' '}
            {tl(lang, 'freeSpace')} {status.storage.freeMiB === null ? '?' : `${status.storage.freeMiB} MiB`} ({tl(lang, 'minimum')} {status.storage.minFreeMiB} MiB)
            {status.storage.problem ? ` · ${status.storage.problem}` : ''}
          </dd>
          <dt>{tl(lang, 'outbox')}</dt>
          <dd data-testid="outbox" data-pending={status.outbox.pending}>
            {status.outbox.pending} · {tl(lang, 'awaitingAck')}: {status.outbox.awaitingAck}
          </dd>
          <dt>{tl(lang, 'oldestWaiting')}</dt>
          <dd>{status.outbox.oldestPendingAgeS === null ? tl(lang, 'none') : duration(lang, status.outbox.oldestPendingAgeS)}</dd>
          <dt>{tl(lang, 'lastSync')}</dt>
          <dd>
            {status.outbox.lastSyncAt ? clock(status.outbox.lastSyncAt) : tl(lang, 'never')} · {tl(lang, 'syncState')}: {SYNC_STATES[status.outbox.syncState]?.[lang] ?? status.outbox.syncState}
            {status.outbox.lastError ? <span class="fact-bad"> · {status.outbox.lastError.message}</span> : null}
          </dd>
          <dt>{tl(lang, 'version')}</dt>
          <dd data-testid="version">{status.version}</dd>
          <dt>{tl(lang, 'uptime')}</dt>
          <dd>{duration(lang, status.uptimeS)}</dd>
          <dt>{tl(lang, 'citizenScreen')}</dt>
          <dd data-testid="citizen-screen">{citizenScreenName(status.citizenScreen)[lang]}</dd>
        </dl>
      </section>
    </main>
  );
}
