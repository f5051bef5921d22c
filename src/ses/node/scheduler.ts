// A periodic runner of the SES backend's DNS checks.
import type { SesV2Backend } from '../backend.js';

/**
 * Runs `backend.checkAll()` every `intervalMs` (default 60 s), one run at a time, until the
 * returned stop function is called. Errors go to `onError` and do not stop the schedule.
 */
export function startSesScheduler(
  backend: Pick<SesV2Backend, 'checkAll'>,
  options: { readonly intervalMs?: number; readonly onError?: (error: unknown) => void } = {},
): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    backend
      .checkAll()
      .catch((error: unknown) => options.onError?.(error))
      .finally(() => {
        running = false;
      });
  }, options.intervalMs ?? 60_000);
  timer.unref();
  return () => clearInterval(timer);
}
