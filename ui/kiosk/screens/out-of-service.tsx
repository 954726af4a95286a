import type { Screen } from '../../../controller/enrollment/view-model';
import { DEVICE_NAMES, DEVICE_STATES } from '../../common/i18n';
import { useKiosk, useTr } from '../context';
import { ScreenFrame } from '../parts/screen';

type OutOfServiceView = Extract<Screen, { name: 'out-of-service' }>;

export function OutOfServiceScreen({ view }: { readonly view: OutOfServiceView }) {
  const { lang } = useKiosk();
  const tr = useTr();
  return (
    <ScreenFrame name="out-of-service" title={tr('oosTitle')} class="center">
      <p class="lead big">{tr('oosText')}</p>
      {view.devices.length > 0 ? (
        <>
          <p class="kicker">{tr('oosDevices')}</p>
          <ul class="devices" data-testid="oos-devices">
            {view.devices.map((d) => (
              <li key={d.kind} data-testid={`device-${d.kind}`}>
                <strong>{DEVICE_NAMES[d.kind][lang]}</strong>: {DEVICE_STATES[d.state][lang]}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </ScreenFrame>
  );
}
