// One subject of one case, in its own thread: rebuilds the case from its module and times
// rounds on request.
import { parentPort, workerData } from 'node:worker_threads';
import { type CaseDefinition, timeRound } from './harness.js';

const {
  moduleUrl,
  exportName,
  caseId,
  subject: name,
  warmupMs,
} = workerData as {
  moduleUrl: string;
  exportName: string;
  caseId: string;
  subject: string;
  warmupMs: number;
};
const module = (await import(moduleUrl)) as Record<string, () => CaseDefinition[]>;
const definition = module[exportName]?.().find((c) => c.id === caseId);
const subject = definition?.subjects().find((s) => s.name === name);
if (!subject) throw new Error(`no subject ${name} in case ${caseId}`);

parentPort?.on('message', async (message: { warmup?: boolean; roundMs?: number }) => {
  (globalThis as { gc?: () => void }).gc?.();
  const rate = await timeRound(subject, message.warmup ? warmupMs : (message.roundMs ?? 500));
  parentPort?.postMessage(rate);
});
