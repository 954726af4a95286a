/**
 * Live preview for the kiosk page as MJPEG over HTTP (`multipart/x-mixed-replace`). Why MJPEG
 * rather than frames over the websocket: the camera already produces JPEGs, and an <img> tag
 * shows this stream natively — no JavaScript decoding, no canvas, nothing in the page's event
 * loop, so the UI stays responsive on a Pi while the preview runs at the camera's rate.
 *
 * Slow clients get the newest frame, never a queue: while the socket is backed up, frames are
 * dropped, so the preview never lags behind the citizen.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Camera } from '../../drivers/types';

export interface MjpegOptions {
  readonly boundary?: string;
}

export function mjpegHandler(camera: Camera, opts: MjpegOptions = {}): (req: IncomingMessage, res: ServerResponse) => void {
  const boundary = opts.boundary ?? 'cccdframe';
  return (req, res) => {
    res.writeHead(200, {
      'Content-Type': `multipart/x-mixed-replace; boundary=${boundary}`,
      'Cache-Control': 'no-cache, no-store, must-revalidate',
      Pragma: 'no-cache',
      Connection: 'close',
      'X-Content-Type-Options': 'nosniff',
    });
    let backedUp = false;
    const unsubscribe = camera.preview((frame) => {
      if (backedUp || res.writableEnded || res.destroyed) return;
      const head = `--${boundary}\r\nContent-Type: image/jpeg\r\nContent-Length: ${frame.jpeg.byteLength}\r\n\r\n`;
      res.write(head);
      res.write(frame.jpeg);
      if (!res.write('\r\n')) {
        backedUp = true;
        res.once('drain', () => {
          backedUp = false;
        });
      }
    });
    let stopped = false;
    const stop = (): void => {
      if (stopped) return;
      stopped = true;
      unsubscribe();
    };
    req.once('close', stop);
    res.once('close', stop);
    res.once('error', stop);
  };
}
