import { describe, expect, it } from 'vitest';
import { UsageError } from '../model/index.js';
import { commandHelp, parseFlags, type CommandSpec } from './flags.js';

const cmd: CommandSpec = {
  name: 'demo',
  summary: 'a demo',
  positionals: [{ name: 'path', description: 'where', required: true }],
  flags: [
    { name: 'tag', type: 'string', multiple: true, description: 'a tag' },
    { name: 'n', type: 'number', default: 3, description: 'how many' },
    { name: 'dry', type: 'boolean', description: 'dry run' },
  ],
};

describe('parseFlags', () => {
  it('takes positionals anywhere and repeatable flags as arrays', () => {
    expect(parseFlags(cmd, ['--tag', 'a', 'src', '--tag=b', '--n', '1_000'])).toEqual({ path: 'src', tag: ['a', 'b'], n: 1000, dry: undefined });
    expect(parseFlags(cmd, ['src'])).toEqual({ path: 'src', tag: [], n: 3, dry: undefined });
  });

  it('rejects a missing required positional and extra arguments, naming the fix', () => {
    expect(() => parseFlags(cmd, ['--dry'])).toThrow(/idgate demo: missing <path>[\s\S]*write idgate demo <path>/);
    expect(() => parseFlags(cmd, ['a', 'b'])).toThrow(UsageError);
  });

  it('commands without positionals still reject bare arguments', () => {
    expect(() => parseFlags({ name: 'x', summary: '', flags: [] }, ['oops'])).toThrow(/unexpected argument "oops"/);
  });

  it('help shows the usage line, arguments and repeatable flags', () => {
    const help = commandHelp(cmd);
    expect(help).toMatch(/Usage: idgate demo <path> \[flags\]/);
    expect(help).toMatch(/--tag <string>\s+a tag \(repeatable\)/);
  });
});
