/**
 * Selects the tfjs backend for Node training and evaluation: wasm
 * (@tensorflow/tfjs-node cannot be installed here; wasm is ~6× faster than
 * the plain JS backend on this machine).
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';

/**
 * Switches tfjs to the wasm backend (idempotent); falls back to `cpu` with a
 * warning if wasm cannot start.
 * @returns the backend name in use.
 */
export async function useWasmBackend(): Promise<string> {
  if (tf.getBackend() === 'wasm') return 'wasm';
  try {
    if (!(await tf.setBackend('wasm'))) throw new Error('setBackend returned false');
  } catch (error) {
    console.warn(`tfjs wasm backend unavailable (${error instanceof Error ? error.message : String(error)}); using cpu`);
    await tf.setBackend('cpu');
  }
  await tf.ready();
  return tf.getBackend();
}
