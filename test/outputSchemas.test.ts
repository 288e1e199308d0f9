/**
 * The node output schemas n8n serves for our action nodes (`nodes/<Node>/__schema__/v1.0.0/<resource>/<operation>.json`)
 * are kept in step with what the operations output: every operation of the built descriptions has a fixture and a
 * schema file, no file is left for an operation that is gone, each file is a schema the editor takes, and running
 * every fixture again through n8n's engine against the sandbox derives exactly the committed files.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { actionOperations, fixtureOf, generateOutputSchemas, schemaOf, schemaPath, type ActionOperation } from './outputSchemas.generate';

const ROOT = join(__dirname, '..');
const REGENERATE = 'run `npm run schemas:generate` and commit the files it writes';

let operations: ActionOperation[];
beforeAll(async () => {
	operations = await actionOperations();
});

function jsonFilesUnder(dir: string): string[] {
	if (!existsSync(dir)) return [];
	return readdirSync(dir).flatMap((name) => {
		const path = join(dir, name);
		return statSync(path).isDirectory() ? jsonFilesUnder(path) : name.endsWith('.json') ? [path] : [];
	});
}

test('every operation of every action node has a fixture and a schema file', () => {
	expect(operations.length).toBeGreaterThan(0);
	const noFixture = operations.filter((op) => !fixtureOf(op)).map((op) => `${op.node} → ${op.resource} → ${op.operation}`);
	expect({ missingFixtures: noFixture, fix: noFixture.length ? 'add each to test/outputSchemas.fixtures.ts, then ' + REGENERATE : '' }).toEqual({ missingFixtures: [], fix: '' });
	const noFile = operations.filter((op) => !existsSync(join(ROOT, schemaPath(op)))).map(schemaPath);
	expect({ missingSchemaFiles: noFile, fix: noFile.length ? REGENERATE : '' }).toEqual({ missingSchemaFiles: [], fix: '' });
});

test('no schema file is left for an operation that no longer exists; each is an object schema with properties (what the editor accepts)', () => {
	const expected = new Set(operations.map(schemaPath));
	const committed = [...new Set(operations.map((op) => op.dir))].flatMap((dir) => jsonFilesUnder(join(ROOT, dir, '__schema__'))).map((file) => relative(ROOT, file));
	const stale = committed.filter((file) => !expected.has(file));
	expect({ staleSchemaFiles: stale, fix: stale.length ? REGENERATE : '' }).toEqual({ staleSchemaFiles: [], fix: '' });
	// n8n's editor drops a schema unless it has `type` and non-empty `properties` (useRunWorkflow: fetch of /schemas/…).
	const unusable = committed.filter((file) => {
		const schema = JSON.parse(readFileSync(join(ROOT, file), 'utf8'));
		return schema.type !== 'object' || !schema.properties || Object.keys(schema.properties).length === 0;
	});
	expect(unusable).toEqual([]);
});

test('the build puts every schema beside the compiled node (dist/nodes/<Node>/__schema__), where n8n looks for it', () => {
	const notInDist = operations
		.map(schemaPath)
		.filter((path) => existsSync(join(ROOT, path)))
		.filter((path) => !existsSync(join(ROOT, 'dist', path)) || readFileSync(join(ROOT, 'dist', path), 'utf8') !== readFileSync(join(ROOT, path), 'utf8'));
	expect({ notInDist, fix: notInDist.length ? 'npm run build (gulp build:schemas copies nodes/*/__schema__ into dist/nodes)' : '' }).toEqual({ notInDist: [], fix: '' });
});

test('schemaOf: types, nested objects, array items, type lists, required only for keys every object had', () => {
	expect(schemaOf([{ id: 'a', n: 1, tags: ['x'], at: null, sub: { ok: true } }, { id: 'b', n: 1.5, tags: [], at: '2026-01-01', extra: 2 }])).toEqual({
		type: 'object',
		properties: {
			id: { type: 'string' },
			n: { type: 'number' },
			tags: { type: 'array', items: { type: 'string' } },
			at: { type: ['string', 'null'] },
			sub: { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] },
			extra: { type: 'integer' },
		},
		required: ['id', 'n', 'tags', 'at'],
	});
	expect(schemaOf([[]])).toEqual({ type: 'array' });
});

test(`the committed schemas are what the operations output now (else ${REGENERATE})`, async () => {
	const started = Date.now();
	const { files, problems } = await generateOutputSchemas(operations);
	expect(problems).toEqual([]);
	const differing = [...files].filter(([path, text]) => !existsSync(join(ROOT, path)) || readFileSync(join(ROOT, path), 'utf8') !== text).map(([path]) => path);
	expect({ differFromWhatOperationsOutput: differing, fix: differing.length ? REGENERATE : '' }).toEqual({ differFromWhatOperationsOutput: [], fix: '' });
	// The whole suite shares two cores: every operation in one sandbox and one loaded package stays well inside this.
	expect(Date.now() - started).toBeLessThan(45_000);
});
