/**
 * n8n's binary data service in filesystem mode, as `N8N_DEFAULT_BINARY_DATA_MODE=filesystem` sets it up in the
 * product: files that nodes store go to disk under a temp folder, and items carry only their id. Without this the
 * harness runs in n8n's default mode (files base64 in the items).
 */
import './env';
import { BinaryDataConfig, BinaryDataService } from 'n8n-core';
import type { IBinaryData } from 'n8n-workflow';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';

// n8n-core's own copy of the DI container (it may differ from a top-level @n8n/di).
const { Container } = createRequire(require.resolve('n8n-core'))('@n8n/di') as typeof import('@n8n/di');

export interface BinaryStore {
	dir: string;
	service: BinaryDataService;
	/** Puts a file into the store, as a node upstream would: its IBinaryData (with `id`) for an input item. */
	put(content: Buffer | Readable, fileName: string, mimeType: string): Promise<IBinaryData>;
	/** Size and sha256 of a stored file, read as a stream. */
	digest(binary: IBinaryData): Promise<{ size: number; sha256: string }>;
	close(): void;
}

export async function useFilesystemBinaryMode(): Promise<BinaryStore> {
	const dir = mkdtempSync(join(tmpdir(), 'unipile-binary-'));
	const config = Container.get(BinaryDataConfig);
	config.mode = 'filesystem';
	config.localStoragePath = dir;
	const service = Container.get(BinaryDataService);
	await service.init();
	return {
		dir,
		service,
		put: async (content, fileName, mimeType) =>
			await service.store({ type: 'execution', workflowId: 'upstream', executionId: 'upstream' }, content, {
				data: '',
				fileName,
				mimeType,
			} as IBinaryData),
		async digest(binary) {
			if (!binary.id) throw new Error('the file is in the item, not in the binary store');
			const hash = createHash('sha256');
			let size = 0;
			for await (const chunk of await service.getAsStream(binary.id)) {
				hash.update(chunk as Buffer);
				size += (chunk as Buffer).length;
			}
			return { size, sha256: hash.digest('hex') };
		},
		close: () => rmSync(dir, { recursive: true, force: true }),
	};
}
