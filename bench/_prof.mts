import { readModelDir } from '../models/training/files.ts';
import { loadWindows } from '../models/training/data.ts';
import { FastVae } from '../models/fast/vae.ts';
import { eventsOf } from '../models/eval/evaluate.ts';
import { writeMelodyFeatures } from '../models/representation/features.ts';
import { l2 } from '../models/eval/metrics.ts';
const [name, kind, data, split] = process.argv.slice(2);
const w = readModelDir(name!);
const set = loadWindows(kind as any, data!, { split: split! } as any);
const vae = new FastVae(w);
const wins = set.windows;
const F = kind === 'drums' ? 27 : 91;
const feat = (x: any) => { if (x.grid) return x.grid; const f = new Float32Array(x.tokens.length * F); writeMelodyFeatures(x.tokens, x.velocity, f); return f; };
let seed = 7; const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
const prof = new Float64Array(10); let ratio = 0; const P = 60;
const dists: number[] = [];
for (let p = 0; p < P; p++) {
  const i = Math.floor(rnd() * wins.length), j = Math.floor(rnd() * wins.length);
  const a = vae.encode(feat(wins[i])).mu, b = vae.encode(feat(wins[j])).mu;
  let d = 0; for (let k = 0; k < a.length; k++) d += (a[k]! - b[k]!) ** 2; dists.push(Math.sqrt(d));
  const teacher = kind === 'melody' ? feat(wins[i]) : undefined;
  const probs: Float32Array[] = [];
  for (let k = 0; k < 11; k++) { const t = k / 10; const z = a.map((v, d) => v + t * (b[d]! - v)); probs.push(eventsOf(kind as any, teacher ? vae.decode(z, undefined, { teacher }) : vae.decode(z)).probabilities); }
  const ch = Array.from({ length: 10 }, (_, k) => l2(probs[k + 1]!, probs[k]!));
  const m = ch.reduce((s, x) => s + x, 0) / 10;
  ch.forEach((c, k) => (prof[k]! += c / m / P));
  ratio += Math.max(...ch) / m / P;
}
console.log(name, 'profile', Array.from(prof, (x) => x.toFixed(2)).join(' '), 'max/mean', ratio.toFixed(3), 'mean |a-b|', (dists.reduce((s, x) => s + x, 0) / P).toFixed(2));
