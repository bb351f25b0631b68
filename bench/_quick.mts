import { readModelDir } from '../models/training/files.ts';
import { loadWindows } from '../models/training/data.ts';
import { evaluateModel } from '../models/eval/evaluate.ts';
const [name, kind, data, split, every] = process.argv.slice(2);
const set = loadWindows(kind as any, data!, { split: split! } as any);
const wins = set.windows.filter((_, i) => i % Number(every ?? 6) === 0);
const r: any = evaluateModel(readModelDir(name!), wins, { pairs: 60, samples: 50 });
const f = (x: any) => x.hit_f1 ?? x.onset_f1;
console.log(name, wins.length, 'F1', f(r.reconstruction), 'refined', f(r.reconstruction_refined), 'soft', r.interpolation.soft.max_over_mean, 'refined soft', r.interpolation_refined.soft.max_over_mean, 'hard', r.interpolation.hard.max_over_mean, r.interpolation_refined.hard.max_over_mean);
