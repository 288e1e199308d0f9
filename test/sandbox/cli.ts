/**
 * Standalone Unipile sandbox: `ts-node --transpile-only test/sandbox/cli.ts`
 * Env: UNIPILE_SANDBOX_PORT (default 0 = random), UNIPILE_SANDBOX_API_KEY (default sandbox-api-key),
 *      UNIPILE_SANDBOX_SEED, UNIPILE_SANDBOX_CHATS, UNIPILE_SANDBOX_MESSAGES_PER_CHAT (optional).
 */
import { startSandbox } from './server';

function num(name: string): number | undefined {
	const v = process.env[name];
	if (v === undefined || v === '') return undefined;
	const n = Number(v);
	if (!Number.isInteger(n) || n < 0) {
		process.stderr.write(`${name} must be a non-negative integer\n`);
		process.exit(2);
	}
	return n;
}

async function main(): Promise<void> {
	const sandbox = await startSandbox({
		port: num('UNIPILE_SANDBOX_PORT') ?? 0,
		apiKey: process.env.UNIPILE_SANDBOX_API_KEY || 'sandbox-api-key',
		seed: num('UNIPILE_SANDBOX_SEED'),
		chats: num('UNIPILE_SANDBOX_CHATS'),
		messagesPerChat: num('UNIPILE_SANDBOX_MESSAGES_PER_CHAT'),
	});
	process.stdout.write(`Unipile sandbox ready: DSN=${sandbox.dsn} API_KEY=${sandbox.apiKey}\n`);
	process.stdout.write(`Unipile API v2 sandbox: BASE_URL=${sandbox.url} API_KEY=${sandbox.v2.apiKey}\n`);
	let closing = false;
	const stop = () => {
		if (closing) return;
		closing = true;
		void sandbox.close().then(() => process.exit(0));
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

main().catch((e: unknown) => {
	process.stderr.write(`${(e as Error)?.stack ?? String(e)}\n`);
	process.exit(1);
});
