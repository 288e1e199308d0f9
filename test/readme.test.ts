import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/* eslint-disable @typescript-eslint/no-require-imports */
const docs = require('../scripts/docs-operations.cjs') as {
	START: string;
	END: string;
	operationsSection(unipile: unknown, trigger: unknown, ...actionNodes: unknown[]): string;
	builtNodes(): { unipile: unknown; trigger: unknown; actionNodes: unknown[] };
};
/* eslint-enable @typescript-eslint/no-require-imports */

const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');

describe('README operations table', () => {
	test('is what the node descriptions give (run `npm run docs:operations` after changing an operation)', () => {
		const { unipile, trigger, actionNodes } = docs.builtNodes();
		const block = readme.slice(readme.indexOf(docs.START), readme.indexOf(docs.END) + docs.END.length);
		expect(block).toBe(docs.operationsSection(unipile, trigger, ...actionNodes));
	});

	test('sits under the Operations heading and lists every operation of every action node once', () => {
		expect(readme).toMatch(new RegExp(`## Operations\\n\\n${docs.START}`));
		type Built = { description: { name: string; properties: Array<{ name: string; options?: unknown[] }> } };
		const { unipile, actionNodes } = docs.builtNodes() as { unipile: Built; actionNodes: Built[] };
		const block = readme.slice(readme.indexOf(docs.START), readme.indexOf(docs.END));
		const tables = block.split(/^\*\*.+\*\* \(`(\w+)`, same credential\):$/m);
		const [unipileTable, ...rest] = tables;
		const rowsOf = (table: string) => table.split('\n').filter((line) => /^\| (?!Resource |---)/.test(line));
		// A resource may have one Operation list per API (v2 adds operations): each operation counts once.
		type Operations = { name: string; options?: unknown[]; displayOptions?: { show?: { resource?: string[] } } };
		const operationsOf = (node: Built) => [
			...new Set(
				(node.description.properties as Operations[])
					.filter((p) => p.name === 'operation')
					.flatMap((p) => (p.options ?? []).map((option) => `${p.displayOptions?.show?.resource?.join()}/${(option as { value: string }).value}`)),
			),
		];
		expect(rowsOf(unipileTable)).toHaveLength(operationsOf(unipile).length);
		expect(rest.filter((_, i) => i % 2 === 0)).toEqual(actionNodes.map((node) => node.description.name));
		actionNodes.forEach((node, i) => expect(rowsOf(rest[i * 2 + 1])).toHaveLength(operationsOf(node).length));
	});
});
