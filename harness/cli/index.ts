export { commandHelp, parseFlags } from './flags.js';
export { main } from './run-cli.js';

export type { CommandSpec, FlagSpec, FlagValues } from './flags.js';
