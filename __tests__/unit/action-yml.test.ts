import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DEFAULTS, INPUTS, OUTPUTS } from '../../src/constants.js';

interface ActionYml {
  name: string;
  description: string;
  branding: { icon: string; color: string };
  inputs: Record<string, { description: string; required?: boolean; default?: string }>;
  outputs: Record<string, { description: string }>;
  runs: { using: string; main: string; post?: string; 'post-if'?: string };
}

const action = parse(
  readFileSync(new URL('../../action.yml', import.meta.url), 'utf8'),
) as ActionYml;

describe('action.yml', () => {
  it('has a Marketplace description under 125 characters, and its branding', () => {
    expect(action.name).toBe('AWS Snapshot Rotation');
    expect(action.description.trim().length).toBeGreaterThan(20);
    expect(action.description.length).toBeLessThan(125);
    expect(action.branding).toEqual({ icon: 'archive', color: 'orange' });
  });

  it('declares exactly the inputs the code reads', () => {
    expect(Object.keys(action.inputs).sort()).toEqual(Object.values(INPUTS).sort());
  });

  it('declares the same defaults as the code applies', () => {
    const declared = Object.fromEntries(
      Object.entries(action.inputs)
        .filter(([, input]) => input.default !== undefined)
        .map(([name, input]) => [name, String(input.default)]),
    );
    expect(declared).toEqual(DEFAULTS);
  });

  it('declares exactly the outputs the code writes', () => {
    expect(Object.keys(action.outputs).sort()).toEqual(Object.values(OUTPUTS).sort());
  });

  it('states the default of every input in its description', () => {
    for (const [name, input] of Object.entries(action.inputs)) {
      expect(input.description, name).toMatch(/[Dd]efault|[Rr]equired/);
    }
  });

  it('runs the bundle on node24, and again as an always-run post step (the quiescing backstop)', () => {
    expect(action.runs).toEqual({
      using: 'node24',
      main: 'dist/index.js',
      post: 'dist/index.js',
      'post-if': 'always()',
    });
  });
});
