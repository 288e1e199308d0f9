/** Address fields take what people type or map; anything that is not an address is named in the error. */
import { join } from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { parseAddresses } = require(join(__dirname, '..', 'dist', 'nodes', 'shared', 'addresses.js')) as {
	parseAddresses: (label: string, value: unknown) => Array<{ display_name?: string; identifier: string }>;
};

describe('parseAddresses', () => {
	test('a typed list with names, quotes, commas inside quotes and semicolons', () => {
		expect(parseAddresses('To', 'Ada Lovelace <ada@example.com>, bob@example.com; "Doe, Jane" <jane@example.org>,<x@example.net>')).toEqual([
			{ display_name: 'Ada Lovelace', identifier: 'ada@example.com' },
			{ identifier: 'bob@example.com' },
			{ display_name: 'Doe, Jane', identifier: 'jane@example.org' },
			{ identifier: 'x@example.net' },
		]);
	});

	test('arrays of strings or objects, JSON text, empty values', () => {
		expect(parseAddresses('Cc', ['Ada <ada@example.com>', { display_name: 'Bob', identifier: 'bob@example.com' }, { name: 'Eve', email: 'eve@example.com' }, 'c@example.com, d@example.com'])).toEqual([
			{ display_name: 'Ada', identifier: 'ada@example.com' },
			{ display_name: 'Bob', identifier: 'bob@example.com' },
			{ display_name: 'Eve', identifier: 'eve@example.com' },
			{ identifier: 'c@example.com' },
			{ identifier: 'd@example.com' },
		]);
		expect(parseAddresses('To', JSON.stringify([{ identifier: 'ada@example.com' }]))).toEqual([{ identifier: 'ada@example.com' }]);
		expect(parseAddresses('To', { identifier: 'ada@example.com', display_name: '' })).toEqual([{ identifier: 'ada@example.com' }]);
		for (const empty of ['', undefined, null, [], ' , ']) expect(parseAddresses('To', empty)).toEqual([]);
	});

	test('malformed addresses are refused, naming the field and the entry', () => {
		expect(() => parseAddresses('To', 'ada@example.com, bob@')).toThrow('To: "bob@" is not an email address');
		expect(() => parseAddresses('Bcc', 'Ada Lovelace')).toThrow('Bcc: "Ada Lovelace" is not an email address');
		expect(() => parseAddresses('To', 'Ada <ada at example.com>')).toThrow('"Ada <ada at example.com>"');
		expect(() => parseAddresses('To', [{ display_name: 'Nobody' }])).toThrow('To: "{\\"display_name\\":\\"Nobody\\"}" is not an email address');
		expect(() => parseAddresses('To', 42)).toThrow('To: "42"');
		expect(() => parseAddresses('To', 'a@b')).toThrow('not an email address');
	});
});
