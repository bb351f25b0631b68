/**
 * The model worker's entry (dist/worker.js): serves the node's requests and
 * talks to the processor over a direct MessageChannel. Started by
 * plugin/worker-client.ts from a Blob that imports this module's URL.
 */
import type { NodeToWorker, WorkerInit, WorkerRequest, WorkerStatus, WorkerToNode } from '../protocol/node-worker.ts';
import type { ProcessorToWorker, WorkerToProcessor } from '../protocol/processor-worker.ts';

const scope = globalThis as unknown as DedicatedWorkerGlobalScope;

let processorPort: MessagePort | null = null;
const status: WorkerStatus = { processorConnected: false, models: [] };

function toNode(message: WorkerToNode): void {
  scope.postMessage(message);
}

function toProcessor(message: WorkerToProcessor): void {
  processorPort?.postMessage(message);
}

function onProcessorMessage(message: ProcessorToWorker): void {
  switch (message.type) {
    case 'hello':
      status.processorConnected = true;
      toProcessor({ type: 'ready' });
      toNode({ type: 'ready', status: { ...status } });
      break;
    case 'ping':
      toProcessor({ type: 'pong', id: message.id });
      break;
  }
}

function init(message: WorkerInit): void {
  processorPort = message.processorPort;
  processorPort.onmessage = (event: MessageEvent<ProcessorToWorker>) => onProcessorMessage(event.data);
}

async function handle(request: WorkerRequest): Promise<unknown> {
  switch (request.op) {
    case 'status':
      return { ...status };
  }
}

scope.onmessage = async (event: MessageEvent<NodeToWorker>) => {
  const message = event.data;
  switch (message.type) {
    case 'init':
      init(message.init);
      break;
    case 'request':
      try {
        toNode({ type: 'reply', id: message.id, ok: true, result: await handle(message.request) });
      } catch (error) {
        toNode({ type: 'reply', id: message.id, ok: false, error: error instanceof Error ? error.message : String(error) });
      }
      break;
    case 'dispose':
      processorPort?.close();
      processorPort = null;
      scope.close();
      break;
  }
};
