import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { SAM_MANAGED_POLICY_PATHS, SAM_POLICY_TEMPLATES } from '../../src/facts/sam-transform-data';

const ROOT = path.join(__dirname, '..', '..');

describe('SAM_POLICY_TEMPLATES and SAM_MANAGED_POLICY_PATHS', () => {
  test('are what scripts/sam-transform-data.py generates from the installed aws-sam-translator', () => {
    const generated = execFileSync('python3', [path.join(ROOT, 'scripts', 'sam-transform-data.py')], { encoding: 'utf-8' });
    expect(fs.readFileSync(path.join(ROOT, 'src', 'facts', 'sam-transform-data.ts'), 'utf-8')).toBe(generated);
  });

  test('every template\'s statements are JSON whose references are exactly its parameters', () => {
    const refs = (node: unknown, found: Set<string>): Set<string> => {
      if (Array.isArray(node)) {
        node.forEach(item => refs(item, found));
      } else if (node && typeof node === 'object') {
        const ref = (node as { Ref?: unknown }).Ref;
        if (typeof ref === 'string') found.add(ref);
        Object.values(node).forEach(value => refs(value, found));
      }
      return found;
    };
    expect(Object.keys(SAM_POLICY_TEMPLATES).length).toBeGreaterThan(70);
    for (const [name, template] of Object.entries(SAM_POLICY_TEMPLATES)) {
      const statements = JSON.parse(template.statements);
      expect([name, Array.isArray(statements) && statements.length > 0]).toEqual([name, true]);
      expect([name, [...refs(statements, new Set())].sort()]).toEqual([name, [...template.parameters].sort()]);
    }
    expect(SAM_POLICY_TEMPLATES.SQSPollerPolicy.parameters).toEqual(['QueueName']);
    expect(SAM_POLICY_TEMPLATES.SQSPollerPolicy.statements).toContain('sqs:ReceiveMessage');
  });

  test('the paths hold the Lambda execution policies under service-role/, and no name twice', () => {
    const names = Object.entries(SAM_MANAGED_POLICY_PATHS).flatMap(([prefix, list]) => list.split(' ').map(name => `${prefix}${name}`));
    expect(names).toContain('service-role/AWSLambdaBasicExecutionRole');
    expect(names).toContain('service-role/AWSLambdaSQSQueueExecutionRole');
    expect(names).not.toContain('service-role/AWSXrayWriteOnlyAccess');
    const bare = names.map(name => name.slice(name.lastIndexOf('/') + 1));
    expect(new Set(bare).size).toBe(bare.length);
    for (const prefix of Object.keys(SAM_MANAGED_POLICY_PATHS)) expect(prefix).toMatch(/^[a-z-]+\/$/);
  });
});
