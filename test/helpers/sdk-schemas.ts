/** The official SDK's compiled TypeBox validators and schemas: what keeps the sandbox honest. */
import { dirname, join } from 'node:path';

export interface Validator {
	Check(value: unknown): boolean;
	Errors(value: unknown): Iterable<{ path: string; message: string }>;
}

const sdkDir = dirname(require.resolve('unipile-node-sdk'));

/** The exports of one of the SDK's compiled files, e.g. `sdkModule('mails/mail.types.js').MailApiResponseValidator`. */
export function sdkModule<T = Validator>(file: string): Record<string, T> {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	return require(join(sdkDir, file)) as Record<string, T>;
}

/** Fails, naming the first schema errors and the value, when `value` does not validate. */
export function expectValid(validator: Validator, value: unknown, what = 'the value'): void {
	if (!validator.Check(value)) {
		const first = [...validator.Errors(value)].slice(0, 3);
		throw new Error(`${what} does not validate: ${JSON.stringify(first, null, 1).slice(0, 1500)}\nvalue: ${JSON.stringify(value).slice(0, 800)}`);
	}
}
