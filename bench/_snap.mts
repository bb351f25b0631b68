import { weightsFromCheckpoint, writeModelDir } from '../models/training/files.ts';
const [ck, out] = process.argv.slice(2);
writeModelDir(out!, weightsFromCheckpoint(ck!));
