import { DEVICE_NAMES, DEVICE_STATE_NAMES } from '../../common/i18n';
import { useKiosk, useTr } from '../context';
import { ScreenFrame } from '../parts/screen';
import { ServiceCorner } from '../parts/service-corner';
import type { Screen } from '../../../domain/kiosk-channel/view-model';

type OutOfServiceView = Extract<Screen, { name: 'out-of-service' }>;

export function OutOfServiceScreen({ view }: { readonly view: OutOfServiceView }) {
  const { lang } = useKiosk();
  const tr = useTr();
  // Only what needs a technician's attention: a ready (or busy) device is not "to check".
  const toCheck = view.devices.filter((d) => d.state !== 'ready' && d.state !== 'busy');
  return (
    <ScreenFrame name="out-of-service" title={tr('oosTitle')} class="center">
      <ServiceCorner />
      <p class="lead big" data-testid="oos-text">
        {tr(view.maintenance ? 'oosMaintenance' : view.officer ? 'oosOfficer' : 'oosText')}
      </p>
      {/* The panel's tamper switch: for the staff member who comes, what to do. */}
      {view.enclosureOpen ? (
        <p class="oos-enclosure" data-testid="oos-enclosure">
          {tr('oosEnclosureOpen')}
        </p>
      ) : null}
      {toCheck.length > 0 && !view.maintenance && !view.officer ? (
        <>
          <p class="kicker">{tr('oosDevices')}</p>
          <ul class="devices" data-testid="oos-devices">
            {toCheck.map((d) => (
              <li key={d.kind} data-testid={`device-${d.kind}`}>
                <strong>{DEVICE_NAMES[d.kind][lang]}</strong>: {DEVICE_STATE_NAMES[d.state][lang]}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </ScreenFrame>
  );
}
