/**
 * Output schemas in the real n8n: the editor asks `GET /schemas/<node type>/<version padded to x.y.z>/<resource>/<operation>.json`
 * (n8n-editor-ui schemaPreview store; node type `CUSTOM.<name>` for nodes loaded through N8N_CUSTOM_EXTENSIONS) for
 * the Schema view before a run. n8n answers it from `__schema__` next to the node's compiled file: every schema file
 * the package ships must come back 200 with the committed JSON, and the editor's check (`type` and non-empty
 * `properties`) must pass.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

function assert(cond: unknown, message: string): asserts cond {
	if (!cond) throw new Error(message);
}

export interface OutputSchemasE2eDeps {
	base: string;
	/** the dist folder n8n loads (N8N_CUSTOM_EXTENSIONS) */
	dist: string;
	check(name: string, fn: () => Promise<void>): Promise<boolean>;
	log(line: string): void;
}

/** `dist/nodes/<Dir>/__schema__/v1.0.0/<resource>/<operation>.json` files with the node type name of `<Dir>`. */
export function shippedSchemas(dist: string): Array<{ node: string; version: string; resource: string; operation: string; file: string }> {
	const nodesDir = join(dist, 'nodes');
	const out: Array<{ node: string; version: string; resource: string; operation: string; file: string }> = [];
	const walk = (dir: string): string[] => readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? walk(join(dir, name)) : [join(dir, name)]));
	for (const folder of readdirSync(nodesDir)) {
		const schemaDir = join(nodesDir, folder, '__schema__');
		if (!existsSync(schemaDir)) continue;
		// The node's type name from its codex file (`"node": "<package>.<name>"`), which sits beside the compiled node.
		const codexFile = readdirSync(join(nodesDir, folder)).find((name) => name.endsWith('.node.json'));
		assert(codexFile, `no codex file in ${folder}`);
		const node = String(JSON.parse(readFileSync(join(nodesDir, folder, codexFile), 'utf8')).node).split('.').pop()!;
		for (const file of walk(schemaDir).filter((f) => f.endsWith('.json'))) {
			const [versionDir, resource, operation] = relative(schemaDir, file).replace(/\.json$/, '').split(sep);
			out.push({ node, version: versionDir.slice(1), resource, operation, file });
		}
	}
	return out;
}

export async function outputSchemasE2e(d: OutputSchemasE2eDeps): Promise<void> {
	await d.check('n8n serves our output schemas: GET /schemas/CUSTOM.unipile/1.0.0/message/send.json and every other shipped one → 200, the committed JSON (also for CUSTOM.unipileTool)', async () => {
		const shipped = shippedSchemas(d.dist);
		assert(shipped.some((s) => s.node === 'unipile' && s.resource === 'message' && s.operation === 'send'), 'dist has no Unipile message/send schema (did the build copy __schema__?)');
		const failures: string[] = [];
		const perNode = new Map<string, number>();
		for (const s of shipped) {
			// As the editor builds it: node type, typeVersion 1 padded to 1.0.0, resource, operation.
			const url = `${d.base}/schemas/CUSTOM.${s.node}/${s.version}/${s.resource}/${s.operation}.json`;
			const res = await fetch(url);
			const text = await res.text();
			if (res.status !== 200) {
				failures.push(`${url} → ${res.status}`);
				continue;
			}
			const body = JSON.parse(text);
			if (JSON.stringify(body) !== JSON.stringify(JSON.parse(readFileSync(s.file, 'utf8')))) failures.push(`${url}: not the shipped schema`);
			else if (body.type !== 'object' || !body.properties || Object.keys(body.properties).length === 0) failures.push(`${url}: the editor would drop it (no type/properties)`);
			perNode.set(s.node, (perNode.get(s.node) ?? 0) + 1);
		}
		assert(failures.length === 0, failures.join('\n'));
		// The AI tool variant n8n generates (usableAsTool) shares the node's folder, so its schemas too.
		const tool = await fetch(`${d.base}/schemas/CUSTOM.unipileTool/1.0.0/message/send.json`);
		assert(tool.status === 200, `CUSTOM.unipileTool message/send answered ${tool.status}`);
		const unknown = await fetch(`${d.base}/schemas/CUSTOM.unipile/1.0.0/message/noSuchOperation.json`);
		assert(unknown.status === 404, `an unknown operation answered ${unknown.status}, expected 404`);
		d.log(`  schemas served: ${[...perNode].map(([node, n]) => `CUSTOM.${node} ${n}`).join(', ')}`);
	});
}
